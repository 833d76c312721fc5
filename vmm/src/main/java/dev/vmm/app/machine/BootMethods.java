package dev.vmm.app.machine;

import dev.vmm.app.confidential.LaunchInputs;
import dev.vmm.app.config.VmConfig;
import dev.vmm.core.kvm.Kvm;
import dev.vmm.firmware.FirmwareImage;
import dev.vmm.firmware.boot.BootMethod;
import dev.vmm.firmware.boot.FirmwareBoot;
import dev.vmm.sev.launch.ConfidentialBoot;
import java.util.function.Consumer;

/** The {@link BootMethod} a configuration asks for: the one place that chooses among them. */
final class BootMethods {
    private BootMethods() {}

    static BootMethod of(VmConfig config, FirmwareImage firmware, Kvm kvm, Consumer<ConfidentialBoot.Launched> launched) {
        if (config.confidential() == null) {
            return new FirmwareBoot(firmware, kvm.supportedCpuid());
        }
        var settings = LaunchInputs.settings(config.confidential(), config.payload(), kvm.supportedCpuid());
        return ConfidentialBoot.prepare(settings, firmware, config.cpus().count(), kvm, launched);
    }
}
