package dev.vmm.app.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.vmm.sev.SevMode;
import dev.vmm.sev.attest.GuestPolicy;
import dev.vmm.sev.psp.PspKind;
import java.nio.file.Path;
import java.util.HexFormat;

/**
 * A confidential launch: mode, policy, which PSP, and the inputs of the launch measurement beside the
 * payload (whose firmware, kernel, initrd and command line are measured).
 *
 * @param policy null for the mode's default (QEMU's: SEV 0x1, SEV-ES 0x5, SNP 0x30000)
 * @param cpuModel a QEMU model name (EPYC-v4, EPYC-Genoa ...) or "host"; null is "host"
 * @param hostData 64 hex digits (32 bytes) for SNP_LAUNCH_FINISH, or null
 * @param idBlock the ID block and {@code idAuth} its ID auth (files from {@code vmm id-block}), or null
 */
public record ConfidentialConfig(SevMode mode, Long policy, PspKind psp, @JsonProperty("cpu_model") String cpuModel,
                                 @JsonProperty("guest_features") long guestFeatures,
                                 @JsonProperty("launch_log") Path launchLog, @JsonProperty("host_data") String hostData,
                                 @JsonProperty("id_block") Path idBlock, @JsonProperty("id_auth") Path idAuth,
                                 @JsonProperty("author_key_enabled") boolean authorKeyEnabled) {
    public static final long DEFAULT_SNP_GUEST_FEATURES = 0x1;
    private static final int HOST_DATA_SIZE = 32;

    /** SNP with the simulated PSP and the defaults for everything else. */
    public static ConfidentialConfig simulated(SevMode mode, String cpuModel) {
        return new ConfidentialConfig(mode, null, PspKind.SIMULATED, cpuModel, DEFAULT_SNP_GUEST_FEATURES, null, null,
                null, null, false);
    }

    public long effectivePolicy() {
        if (policy != null) {
            return policy;
        }
        return switch (mode) {
            case SEV -> 0x1;          // NODBG
            case SEV_ES -> 0x5;       // NODBG | ES
            case SEV_SNP -> 0x30000;  // SMT | reserved-1
        };
    }

    /** The host data as bytes, or null. */
    public byte[] hostDataBytes() {
        return hostData == null ? null : HexFormat.of().parseHex(hostData);
    }

    void validate() {
        if (mode == null) {
            throw new ConfigException("confidential.mode", "is required (sev, sev-es or sev-snp)");
        }
        if (psp == null) {
            throw new ConfigException("confidential.psp", "is required (kvm or simulated)");
        }
        if (hostData != null) {
            if (!hostData.matches("\\p{XDigit}{" + 2 * HOST_DATA_SIZE + "}")) {
                throw new ConfigException("confidential.host_data", "must be " + HOST_DATA_SIZE + " bytes ("
                        + 2 * HOST_DATA_SIZE + " hex digits), not '" + hostData + "'");
            }
            if (mode != SevMode.SEV_SNP) {
                throw new ConfigException("confidential.host_data", "is for sev-snp guests");
            }
        }
        if ((idBlock == null) != (idAuth == null)) {
            throw new ConfigException(idBlock == null ? "confidential.id_auth" : "confidential.id_block",
                    "goes with {" + (idBlock == null ? "confidential.id_block" : "confidential.id_auth") + "}");
        }
        if (authorKeyEnabled && idBlock == null) {
            throw new ConfigException("confidential.author_key_enabled", "needs {confidential.id_block}");
        }
        if (idBlock != null && mode != SevMode.SEV_SNP) {
            throw new ConfigException("confidential.id_block", "is for sev-snp guests");
        }
        if (mode == SevMode.SEV_SNP && policy != null) {
            new GuestPolicy(policy).launchRefusal().ifPresent(why -> {
                throw new ConfigException("confidential.policy", why);
            });
        }
        if (mode == SevMode.SEV && policy != null && (policy >>> 32) != 0) {
            throw new ConfigException("confidential.policy", String.format("0x%x: SEV policies are 32 bits", policy));
        }
    }
}
