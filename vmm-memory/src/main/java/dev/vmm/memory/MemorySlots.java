package dev.vmm.memory;

import dev.vmm.core.kvm.KvmCap;
import dev.vmm.core.kvm.VmFd;
import dev.vmm.core.sys.Fd;
import java.util.ArrayList;
import java.util.List;

/**
 * Registers guest memory with KVM, one slot per region: the only place a host address of guest memory
 * leaves this module. Uses KVM_SET_USER_MEMORY_REGION2 where the kernel has it. Slot numbers come from
 * the VM ({@link VmFd#allocateMemorySlot}), so regions share the number space with romd slots.
 */
public final class MemorySlots {
    private MemorySlots() {}

    /**
     * Registers every region with a guest_memfd beside its shared mapping (SNP): private accesses go
     * to the guest_memfd, shared ones to the mapping. Returns the guest_memfds, which the caller owns.
     * VM types with protected state refuse read-only slots, so every region must be RAM here.
     */
    public static List<Fd> registerWithGuestMemfd(VmFd vm, GuestMemory memory) {
        if (vm.checkExtension(KvmCap.GUEST_MEMFD) <= 0 || vm.checkExtension(KvmCap.USER_MEMORY2) <= 0) {
            throw new IllegalStateException("this KVM has no guest_memfd (KVM_CAP_GUEST_MEMFD, Linux 6.8+)");
        }
        List<Fd> fds = new ArrayList<>();
        try {
            for (MemoryRegion r : memory.regions()) {
                if (r.kind() != RegionKind.RAM) {
                    throw new IllegalStateException(r.name() + " is read-only; confidential VMs have no read-only slots");
                }
                Fd gmem = vm.createGuestMemfd(r.size(), 0);
                fds.add(gmem);
                vm.setUserMemoryRegion2(vm.allocateMemorySlot(), VmFd.MEM_GUEST_MEMFD, r.start().value(), r.segment(),
                        gmem, 0);
            }
            return fds;
        } catch (RuntimeException e) {
            fds.forEach(Fd::close);
            throw e;
        }
    }

    /**
     * SEV/SEV-ES: pins a region's host memory for the VM's lifetime (KVM_MEMORY_ENCRYPT_REG_REGION),
     * as QEMU does for every RAM block; closing unregisters it.
     */
    public static AutoCloseable registerEncrypted(VmFd vm, MemoryRegion region) {
        vm.registerEncryptedRegion(region.segment());
        return () -> vm.unregisterEncryptedRegion(region.segment());
    }

    /** Registers every region; returns the slot numbers, in the order of {@link GuestMemory#regions()}. */
    public static List<Integer> register(VmFd vm, GuestMemory memory) {
        boolean region2 = vm.checkExtension(KvmCap.USER_MEMORY2) > 0;
        boolean readonly = vm.checkExtension(KvmCap.READONLY_MEM) > 0;
        List<Integer> slots = new ArrayList<>();
        for (MemoryRegion r : memory.regions()) {
            int flags = 0;
            if (r.kind() == RegionKind.ROM) {
                if (!readonly) {
                    throw new IllegalStateException("KVM refuses read-only slots for this VM (KVM_CAP_READONLY_MEM): "
                            + "cannot map " + r.name() + " read-only");
                }
                flags |= VmFd.MEM_READONLY;
            }
            int slot = vm.allocateMemorySlot();
            if (region2) {
                vm.setUserMemoryRegion2(slot, flags, r.start().value(), r.segment(), null, 0);
            } else {
                vm.setUserMemoryRegion(slot, flags, r.start().value(), r.segment());
            }
            slots.add(slot);
        }
        return slots;
    }
}
