package dev.vmm.firmware.boot;

import dev.vmm.core.arch.CpuidSetup;
import dev.vmm.core.kvm.CpuidEntry;
import dev.vmm.core.kvm.Kvm;
import dev.vmm.core.kvm.VcpuFd;
import dev.vmm.core.kvm.VmFd;
import dev.vmm.core.vcpu.ExitHandler;
import dev.vmm.firmware.FirmwareImage;
import dev.vmm.memory.GuestMemory;
import dev.vmm.memory.GuestMemoryBuilder;
import dev.vmm.memory.MemorySlots;
import dev.vmm.memory.RamLayout;
import java.util.List;

/**
 * A flat firmware image read-only below 4 GiB, run from the reset vector as a PC starts: KVM's
 * reset state is that already, so the vCPUs get only their CPUID (KVM's, with their topology).
 */
public final class FirmwareBoot implements BootMethod {
    private final FirmwareImage firmware;
    private final List<CpuidEntry> supportedCpuid;

    /** @param supportedCpuid KVM_GET_SUPPORTED_CPUID, what the vCPUs are offered */
    public FirmwareBoot(FirmwareImage firmware, List<CpuidEntry> supportedCpuid) {
        this.firmware = firmware;
        this.supportedCpuid = List.copyOf(supportedCpuid);
    }

    @Override
    public int vmType() {
        return Kvm.VM_TYPE_DEFAULT;
    }

    @Override
    public void addRegions(GuestMemoryBuilder memory, RamLayout ram) {
        firmware.addTo(memory);
    }

    @Override
    public List<AutoCloseable> registerMemory(VmFd vm, GuestMemory memory) {
        MemorySlots.register(vm, memory);
        return List.of();
    }

    @Override
    public ExitHandler exitHandler(ExitHandler platform) {
        return platform;
    }

    @Override
    public void load(GuestMemory memory) {
        firmware.loadInto(memory);
    }

    @Override
    public void setUpVcpu(VcpuFd vcpu, int index, int cpus) {
        vcpu.setCpuid(CpuidSetup.forVcpu(supportedCpuid, index, cpus));
    }

    @Override
    public void finish() {
        // Nothing to finish: the firmware runs as it is.
    }
}
