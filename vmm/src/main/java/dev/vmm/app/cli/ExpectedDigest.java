package dev.vmm.app.cli;

import dev.vmm.app.confidential.LaunchInputs;
import dev.vmm.app.confidential.LaunchLogFile;
import dev.vmm.app.config.ConfigException;
import dev.vmm.app.config.CpusConfig;
import dev.vmm.app.config.PayloadConfig;
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
import java.util.List;

/**
 * The launch digest of a guest computed without KVM, for the same firmware, vCPUs, CPU model, guest
 * features and kernel as a launch of QEMU or of this VMM: what {@code measure} prints and what
 * {@code id-block --firmware} signs.
 */
final class ExpectedDigest {
    private ExpectedDigest() {}

    /** Also writes the launch log when {@code --launch-log} asks for one. */
    static byte[] compute(SevMode m, Path firmware, int cpus, LaunchOptions launch) {
        new CpusConfig(cpus).validate();
        if (m.hasVmsa() && launch.cpuModel == null) {
            throw new ConfigException("confidential.cpu_model", "is needed for " + m.runName()
                    + ": the VMSAs hold its CPUID signature");
        }
        new PayloadConfig(firmware, null, launch.kernel, launch.initrd, launch.append).validate(true);
        OvmfImage ovmf = OvmfImage.parse(FirmwareImage.read(firmware));
        if (!ovmf.hasFooterTable()) {
            System.err.println("vmm: warning: " + firmware + " has no OVMF footer table: measured as firmware without "
                    + "SEV metadata (is it OVMF?)");
        }
        CpuModel cpu = m.hasVmsa() ? LaunchInputs.cpuModel(launch.cpuModel, null) : CpuModel.fromSignature("none", 0);
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
