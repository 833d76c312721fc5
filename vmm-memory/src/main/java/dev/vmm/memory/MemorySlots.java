package dev.vmm.memory;

import dev.vmm.core.kvm.KvmCap;
import dev.vmm.core.kvm.VmFd;

/**
 * Registers guest memory with KVM, one slot per region: the only place a host address of guest memory
 * leaves this module. Uses KVM_SET_USER_MEMORY_REGION2 where the kernel has it.
 */
public final class MemorySlots {
    private MemorySlots() {}

    public static void register(VmFd vm, GuestMemory memory) {
        boolean region2 = vm.checkExtension(KvmCap.USER_MEMORY2) > 0;
        boolean readonly = vm.checkExtension(KvmCap.READONLY_MEM) > 0;
        int slot = 0;
        for (MemoryRegion r : memory.regions()) {
            int flags = 0;
            if (r.kind() == RegionKind.ROM) {
                if (!readonly) {
                    throw new IllegalStateException("KVM refuses read-only slots for this VM (KVM_CAP_READONLY_MEM): "
                            + "cannot map " + r.name() + " read-only");
                }
                flags |= VmFd.MEM_READONLY;
            }
            if (region2) {
                vm.setUserMemoryRegion2(slot, flags, r.start().value(), r.segment(), null, 0);
            } else {
                vm.setUserMemoryRegion(slot, flags, r.start().value(), r.segment());
            }
            slot++;
        }
    }
}
