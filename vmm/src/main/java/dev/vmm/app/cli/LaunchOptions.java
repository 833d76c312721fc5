package dev.vmm.app.cli;

import dev.vmm.app.config.ConfidentialConfig;
import dev.vmm.app.config.Hex;
import dev.vmm.sev.psp.PspKind;
import java.nio.file.Path;
import java.util.stream.Stream;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;

/** The inputs of a launch measurement, shared by {@code run --confidential} and {@code measure}. */
public final class LaunchOptions {
    @Option(names = "--cpu-model", paramLabel = "MODEL",
            description = "QEMU CPU model for the CPUID signature in the VMSAs: EPYC, EPYC-v1..v5, EPYC-Rome(-vN), "
                    + "EPYC-Milan(-vN), EPYC-Genoa(-vN), EPYC-Turin(-v1), or host (run's default).")
    String cpuModel;

    @Option(names = "--guest-features", paramLabel = "HEX", defaultValue = "0x1",
            description = "SNP guest features (VMSA SEV_FEATURES; default: ${DEFAULT-VALUE}, SNP_ACTIVE).")
    String guestFeatures;

    @Option(names = "--kernel", paramLabel = "FILE",
            description = "Linux kernel, a bzImage or a PVH vmlinux: booted directly without --firmware, handed to "
                    + "the firmware over fw_cfg with it, and measured into the SEV hashes table with --confidential.")
    Path kernel;

    @Option(names = "--initrd", paramLabel = "FILE", description = "Initrd for --kernel.")
    Path initrd;

    @Option(names = "--append", paramLabel = "CMDLINE", description = "Kernel command line for --kernel.")
    String append;

    @Option(names = "--launch-log", paramLabel = "FILE", description = "Write every measured range, in order, as JSON.")
    Path launchLog;

    /**
     * Whether the command line describes a launch to measure (these options, or {@code --cpus} of the
     * command that has one); {@code id-block} and {@code attestation verify} take them only with --firmware.
     */
    static boolean anyGiven(ParseResult parsed) {
        return Stream.of("--cpu-model", "--guest-features", "--kernel", "--initrd", "--append", "--launch-log", "--cpus")
                .anyMatch(parsed::hasMatchedOption);
    }

    long guestFeatures() {
        return Hex.parseLong("--guest-features", guestFeatures);
    }

    ConfidentialConfig toConfig(dev.vmm.sev.SevMode mode, Long policy, PspKind psp, String hostData, Path idBlock,
                                Path idAuth, boolean authorKeyEnabled) {
        String hex = hostData != null && (hostData.startsWith("0x") || hostData.startsWith("0X")) ? hostData.substring(2)
                : hostData;
        return new ConfidentialConfig(mode, policy, psp, cpuModel, guestFeatures(), launchLog, hex, idBlock, idAuth,
                authorKeyEnabled);
    }
}
