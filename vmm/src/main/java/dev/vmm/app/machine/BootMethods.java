package dev.vmm.app.machine;

import dev.vmm.app.confidential.LaunchInputs;
import dev.vmm.app.config.Payload;
import dev.vmm.app.config.VmConfig;
import dev.vmm.core.arch.SoftwareKvm;
import dev.vmm.core.kvm.Kvm;
import dev.vmm.devices.acpi.AcpiLinker;
import dev.vmm.firmware.boot.BootMethod;
import dev.vmm.firmware.boot.FirmwareBoot;
import dev.vmm.firmware.boot.LinuxBoot;
import dev.vmm.firmware.linux.GuestBlob;
import dev.vmm.firmware.linux.LinuxBootPlan;
import dev.vmm.firmware.linux.LinuxLayout;
import dev.vmm.memory.RamLayout;
import dev.vmm.sev.launch.ConfidentialBoot;
import java.util.function.Consumer;

/** The {@link BootMethod} a configuration asks for: the one place that chooses among them. */
final class BootMethods {
    private BootMethods() {}

    /**
     * What a Linux guest is offered: KVM's CPUID, without what a software KVM's instruction emulator
     * cannot run, on such a host only (a kernel would pick CMPXCHG16B, XSAVE, AVX from CPUID).
     */
    private static java.util.List<dev.vmm.core.kvm.CpuidEntry> linuxCpuid(Kvm kvm) {
        var supported = kvm.supportedCpuid();
        return SoftwareKvm.detect() ? SoftwareKvm.withoutUnemulatable(supported) : supported;
    }

    static BootMethod of(VmConfig config, Payload payload, Kvm kvm, Consumer<ConfidentialBoot.Launched> launched) {
        if (config.confidential() != null) {
            var settings = LaunchInputs.settings(config.confidential(), payload, kvm.supportedCpuid());
            return ConfidentialBoot.prepare(settings, payload.firmware(), config.cpus().count(), kvm, launched);
        }
        if (payload.directKernel()) {
            // No firmware to run the ACPI table loader: the tables go where Linux looks, at 0xE0000.
            var acpi = AcpiLinker.link(PcPlatform.acpiMachine(config.cpus().count()), LinuxLayout.ACPI_BASE,
                    LinuxLayout.HIGH_MEMORY);
            var tables = new LinuxBootPlan.AcpiTables(acpi.blobs().stream()
                    .map(b -> new GuestBlob("ACPI " + b.file(), b.address(), b.bytes())).toList(), acpi.rsdp());
            var plan = LinuxBootPlan.plan(payload.kernelImage(), payload.initrd(), payload.cmdline(),
                    RamLayout.forSize(config.memory().size()), tables);
            return new LinuxBoot(plan, linuxCpuid(kvm));
        }
        return new FirmwareBoot(payload.firmware(), kvm.supportedCpuid());
    }
}
