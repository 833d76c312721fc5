package dev.vmm.app.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.nio.file.Path;

/**
 * The host side: the KVM device, and whether instructions KVM cannot emulate are completed in
 * userspace (the emulation assist) rather than stopping the VM.
 */
public record PlatformConfig(@JsonProperty("kvm_device") Path kvmDevice,
                             @JsonProperty("emulation_assist") boolean emulationAssist) {
    public static final Path DEFAULT_KVM_DEVICE = Path.of("/dev/kvm");
    public static final PlatformConfig DEFAULT = new PlatformConfig(DEFAULT_KVM_DEVICE, true);
}
