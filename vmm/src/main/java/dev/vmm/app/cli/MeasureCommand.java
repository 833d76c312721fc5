package dev.vmm.app.cli;

import dev.vmm.app.config.ConfigException;
import dev.vmm.sev.SevMode;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vmm measure}: the launch digest a guest owner expects, computed without KVM, for the same
 * firmware, vCPUs, CPU model, guest features and kernel as a launch of QEMU or of this VMM. The
 * digest is the last line of output.
 */
@Command(name = "measure", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Compute the launch digest of a confidential guest without launching it.")
public final class MeasureCommand implements LaunchOptions.Taker, Callable<Integer> {
    @Option(names = "--mode", required = true, paramLabel = "sev|sev-es|snp", description = "Guest type.")
    String mode;

    @Option(names = "--firmware", required = true, paramLabel = "FILE", description = "The firmware (OVMF) image.")
    Path firmware;

    @Option(names = "--cpus", paramLabel = "N", defaultValue = "1", description = "vCPUs (default: ${DEFAULT-VALUE}).")
    int cpus;

    @Option(names = "--output-format", paramLabel = "hex|base64", defaultValue = "hex",
            description = "Digest format (default: ${DEFAULT-VALUE}).")
    String outputFormat;

    LaunchOptions launch = new LaunchOptions();     // mixed in by VmmCommand

    @Override
    public LaunchOptions launchOptions() {
        return launch;
    }

    @Override
    public Integer call() {
        SevMode m;
        try {
            m = SevMode.parse(mode);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--mode: " + e.getMessage());
        }
        if (!outputFormat.equals("hex") && !outputFormat.equals("base64")) {
            throw new ConfigException("--output-format: '" + outputFormat + "' is not hex or base64");
        }
        byte[] digest = ExpectedDigest.compute(m, firmware, cpus, launch);
        System.out.println(outputFormat.equals("hex") ? HexFormat.of().formatHex(digest)
                : Base64.getEncoder().encodeToString(digest));
        return 0;
    }
}
