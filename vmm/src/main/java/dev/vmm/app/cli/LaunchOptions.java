package dev.vmm.app.cli;

import dev.vmm.app.config.ConfidentialConfig;
import dev.vmm.app.config.Hex;
import dev.vmm.sev.psp.PspKind;
import java.nio.file.Path;
import java.util.stream.Stream;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;

/**
 * The inputs of a launch measurement, shared by {@code run --confidential}, {@code measure},
 * {@code id-block} and {@code attestation verify}. Declared in code (see {@link OptionTable}) because
 * {@code run} is on the start-up path; the annotated commands get them as a mixin ({@link Taker}).
 */
public final class LaunchOptions {
    /** A command that takes the launch options: {@code VmmCommand} mixes them in when it builds it. */
    interface Taker {
        LaunchOptions launchOptions();
    }

    String cpuModel;
    String guestFeatures;     // default "0x1", set by picocli (see mixin())
    Path kernel;
    Path initrd;
    String append;
    Path launchLog;

    /** These options as a picocli mixin. */
    CommandSpec mixin() {
        CommandSpec mixin = CommandSpec.wrapWithoutInspection(this);
        new OptionTable(mixin)
                .text("--cpu-model", "MODEL", null, "QEMU CPU model for the CPUID signature in the VMSAs: EPYC, "
                        + "EPYC-v1..v5, EPYC-Rome(-vN), EPYC-Milan(-vN), EPYC-Genoa(-vN), EPYC-Turin(-v1), or host "
                        + "(run's default).", v -> cpuModel = v)
                .text("--guest-features", "HEX", "0x1",
                        "SNP guest features (VMSA SEV_FEATURES; default: ${DEFAULT-VALUE}, SNP_ACTIVE).",
                        v -> guestFeatures = v)
                .path("--kernel", "FILE", null, "Linux kernel, a bzImage or a PVH vmlinux: booted directly without "
                        + "--firmware, handed to the firmware over fw_cfg with it, and measured into the SEV hashes "
                        + "table with --confidential.", v -> kernel = v)
                .path("--initrd", "FILE", null, "Initrd for --kernel.", v -> initrd = v)
                .text("--append", "CMDLINE", null, "Kernel command line for --kernel.", v -> append = v)
                .path("--launch-log", "FILE", null, "Write every measured range, in order, as JSON.", v -> launchLog = v);
        return mixin;
    }

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
