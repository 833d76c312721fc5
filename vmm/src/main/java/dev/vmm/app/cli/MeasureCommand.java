package dev.vmm.app.cli;

import dev.vmm.app.confidential.LaunchInputs;
import dev.vmm.app.confidential.LaunchLogFile;
import dev.vmm.app.config.ConfigException;
import dev.vmm.firmware.FirmwareImage;
import dev.vmm.firmware.ovmf.OvmfImage;
import dev.vmm.sev.SevMode;
import dev.vmm.sev.cpu.CpuModel;
import dev.vmm.sev.cpuid.SnpCpuidTable;
import dev.vmm.sev.launch.LaunchCalculator;
import dev.vmm.sev.launch.LaunchPlan;
import dev.vmm.sev.launch.LaunchPlanner;
import dev.vmm.sev.measure.LaunchLog;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code vmm measure}: the launch digest a guest owner expects, computed without KVM, for the same
 * firmware, vCPUs, CPU model, guest features and kernel as a launch of QEMU or of this VMM. The
 * digest is the last line of output.
 */
@Command(name = "measure", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Compute the launch digest of a confidential guest without launching it.")
public final class MeasureCommand implements Callable<Integer> {
    @Option(names = "--mode", required = true, paramLabel = "sev|sev-es|snp", description = "Guest type.")
    String mode;

    @Option(names = "--firmware", required = true, paramLabel = "FILE", description = "The firmware (OVMF) image.")
    Path firmware;

    @Option(names = "--cpus", paramLabel = "N", defaultValue = "1", description = "vCPUs (default: ${DEFAULT-VALUE}).")
    int cpus;

    @Option(names = "--output-format", paramLabel = "hex|base64", defaultValue = "hex",
            description = "Digest format (default: ${DEFAULT-VALUE}).")
    String outputFormat;

    @Mixin
    LaunchOptions launch = new LaunchOptions();

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
        byte[] digest = launchDigest(m, firmware, cpus, launch);
        System.out.println(outputFormat.equals("hex") ? HexFormat.of().formatHex(digest)
                : Base64.getEncoder().encodeToString(digest));
        return 0;
    }

    /**
     * The launch digest of {@code firmware} with {@code cpus} vCPUs and the launch options, as this
     * command prints it; writes the launch log if {@code --launch-log} was given. Also used by
     * {@code attestation verify} to compute the measurement a report should carry.
     */
    static byte[] launchDigest(SevMode m, Path firmware, int cpus, LaunchOptions launch) {
        if (cpus < 1) {
            throw new ConfigException("--cpus " + cpus + ": must be at least 1");
        }
        if (m.hasVmsa() && launch.cpuModel == null) {
            throw new ConfigException("--cpu-model is needed for " + m.runName() + ": the VMSAs hold its CPUID signature");
        }
        if ((launch.initrd != null || launch.append != null) && launch.kernel == null) {
            throw new ConfigException("--initrd and --append need --kernel");
        }
        OvmfImage ovmf = OvmfImage.parse(FirmwareImage.read(firmware));
        CpuModel cpu = m.hasVmsa() ? LaunchInputs.cpuModel(launch.cpuModel, null) : new CpuModel("none", 0, 0, 0);
        byte[] hashes = LaunchInputs.hashTable(launch.kernel, launch.initrd, launch.append);
        // The CPUID page's contents never enter the digest (the firmware checks them instead).
        byte[] cpuidPage = m == SevMode.SEV_SNP ? new SnpCpuidTable(List.of()).page() : null;
        int vcpus = m.hasVmsa() ? cpus : 0;
        LaunchPlan plan = LaunchPlanner.plan(m, ovmf, hashes, cpuidPage, vcpus, cpu.signature(), launch.guestFeatures());
        LaunchLog log = new LaunchLog();
        byte[] digest = LaunchCalculator.digest(plan, true, log);
        if (launch.launchLog != null) {
            LaunchLogFile.write(launch.launchLog, LaunchLogFile.document(m.runName(), "none (vmm measure)",
                    firmware.toString(), vcpus, cpu.name(), cpu.signature(), plan.sevFeatures(), null, digest, null, log));
        }
        return digest;
    }
}
