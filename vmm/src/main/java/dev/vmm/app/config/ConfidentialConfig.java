package dev.vmm.app.config;

import dev.vmm.sev.SevMode;
import java.nio.file.Path;

/**
 * A confidential launch: mode, policy, which PSP, and the inputs of the launch measurement.
 *
 * @param policy null for the mode's default (QEMU's: SEV 0x1, SEV-ES 0x5, SNP 0x30000)
 * @param cpuModel a QEMU model name (EPYC-v4, EPYC-Genoa ...) or "host"
 * @param kernel measured direct boot: kernel, initrd and command line (null when not used)
 * @param hostData 32 bytes for SNP_LAUNCH_FINISH, or null
 * @param idBlock the ID block and ID auth for SNP_LAUNCH_FINISH, or null
 */
public record ConfidentialConfig(SevMode mode, Long policy, PspKind psp, String cpuModel, long guestFeatures,
                                 Path kernel, Path initrd, String append, Path launchLog, byte[] hostData,
                                 IdBlockInput idBlock) {
    public enum PspKind { KVM, SIMULATED }

    public static final long DEFAULT_SNP_GUEST_FEATURES = 0x1;

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

    public ConfidentialConfig validate() {
        if (initrd != null && kernel == null || append != null && kernel == null) {
            throw new ConfigException("--initrd and --append need --kernel");
        }
        if (hostData != null && hostData.length != 32) {
            throw new ConfigException("--host-data must be 32 bytes (64 hex digits), not " + hostData.length);
        }
        if (hostData != null && mode != SevMode.SEV_SNP) {
            throw new ConfigException("--host-data is for sev-snp guests");
        }
        if (idBlock != null && mode != SevMode.SEV_SNP) {
            throw new ConfigException("--id-block is for sev-snp guests");
        }
        if (mode == SevMode.SEV && policy != null && (policy >>> 32) != 0) {
            throw new ConfigException(String.format("--policy 0x%x: SEV policies are 32 bits", policy));
        }
        return this;
    }
}
