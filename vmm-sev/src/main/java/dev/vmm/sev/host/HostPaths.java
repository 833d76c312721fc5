package dev.vmm.sev.host;

import java.nio.file.Path;

/**
 * Where the host readiness check looks; the defaults are the real ones, tests point some of them at
 * files they write (a sysfs tree of a host this one is not).
 */
public record HostPaths(Path cpuidDevice, Path msrDevice, Path procCpuinfo, Path sysModule, Path kvmDevice,
                        Path sevDevice) {
    public static HostPaths real() {
        return new HostPaths(Path.of("/dev/cpu/0/cpuid"), Path.of("/dev/cpu/0/msr"), Path.of("/proc/cpuinfo"),
                Path.of("/sys/module"), Path.of("/dev/kvm"), Path.of("/dev/sev"));
    }

    public Path kvmAmdParameters() {
        return sysModule.resolve("kvm_amd").resolve("parameters");
    }
}
