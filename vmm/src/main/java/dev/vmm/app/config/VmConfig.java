package dev.vmm.app.config;

import java.nio.file.Path;
import java.util.List;

/**
 * Everything a VM is built from. {@code firmware} null means the embedded test guest.
 * {@link #validate()} checks what can be checked without the host.
 */
public record VmConfig(Path firmware, Path firmwareVars, long memoryBytes, int cpus, CharDevice serial, CharDevice debugcon,
                       List<FwCfgEntry> fwCfg, boolean hugepages, Path kvmDevice, ConfidentialConfig confidential,
                       boolean emulationAssist) {
    public static final Path DEFAULT_KVM_DEVICE = Path.of("/dev/kvm");

    public static final long DEFAULT_MEMORY = 128L << 20;
    /** The test guest runs from 1 MiB with 256 KiB of stacks; OVMF needs far more and says so itself. */
    public static final long MIN_MEMORY = 4L << 20;
    /** xAPIC IDs are 8 bits and 0xff is the broadcast ID. */
    public static final int MAX_CPUS = 254;

    public VmConfig {
        fwCfg = List.copyOf(fwCfg);
    }

    public static VmConfig defaults() {
        return new VmConfig(null, null, DEFAULT_MEMORY, 1, new CharDevice.Stdio(), new CharDevice.None(), List.of(), false,
                DEFAULT_KVM_DEVICE, null, true);
    }

    public VmConfig withCpus(int n) {
        return new VmConfig(firmware, firmwareVars, memoryBytes, n, serial, debugcon, fwCfg, hugepages, kvmDevice, confidential, emulationAssist);
    }

    public VmConfig withMemory(long bytes) {
        return new VmConfig(firmware, firmwareVars, bytes, cpus, serial, debugcon, fwCfg, hugepages, kvmDevice, confidential, emulationAssist);
    }

    public VmConfig withSerial(CharDevice device) {
        return new VmConfig(firmware, firmwareVars, memoryBytes, cpus, device, debugcon, fwCfg, hugepages, kvmDevice, confidential, emulationAssist);
    }

    public VmConfig withFwCfg(List<FwCfgEntry> entries) {
        return new VmConfig(firmware, firmwareVars, memoryBytes, cpus, serial, debugcon, entries, hugepages, kvmDevice, confidential, emulationAssist);
    }

    public VmConfig withFirmwareVars(Path file) {
        return new VmConfig(firmware, file, memoryBytes, cpus, serial, debugcon, fwCfg, hugepages, kvmDevice, confidential,
                emulationAssist);
    }

    public VmConfig withEmulationAssist(boolean on) {
        return new VmConfig(firmware, firmwareVars, memoryBytes, cpus, serial, debugcon, fwCfg, hugepages, kvmDevice, confidential, on);
    }

    public VmConfig withConfidential(ConfidentialConfig c) {
        return new VmConfig(firmware, firmwareVars, memoryBytes, cpus, serial, debugcon, fwCfg, hugepages, kvmDevice, c, emulationAssist);
    }

    public VmConfig withFirmware(Path file) {
        return new VmConfig(file, firmwareVars, memoryBytes, cpus, serial, debugcon, fwCfg, hugepages, kvmDevice, confidential, emulationAssist);
    }

    public VmConfig validate() {
        if (memoryBytes < MIN_MEMORY) {
            throw new ConfigException("--memory " + Sizes.format(memoryBytes) + " is too small: the VM needs at least "
                    + Sizes.format(MIN_MEMORY));
        }
        long align = hugepages ? 2L << 20 : 4096;
        if (memoryBytes % align != 0) {
            throw new ConfigException("--memory " + memoryBytes + " bytes is not a multiple of "
                    + Sizes.format(align) + (hugepages ? " (required with --hugepages)" : ""));
        }
        if (cpus < 1 || cpus > MAX_CPUS) {
            throw new ConfigException("--cpus " + cpus + ": must be 1 to " + MAX_CPUS);
        }
        if (firmwareVars != null && firmware == null) {
            throw new ConfigException("--firmware-vars needs --firmware (the code image to put above it)");
        }
        if (confidential != null) {
            confidential.validate();
            if (firmwareVars != null) {
                throw new ConfigException("--firmware-vars and --confidential: confidential VMs have no read-only "
                        + "memory for flash; use a unified image (OVMF.fd) with --firmware");
            }
            if (hugepages && confidential.mode() == dev.vmm.sev.SevMode.SEV_SNP) {
                throw new ConfigException("--hugepages and --confidential sev-snp: guest_memfd memory is not hugetlbfs");
            }
        }
        return this;
    }
}
