package dev.vmm.memory;

import dev.vmm.core.kvm.KvmCap;
import dev.vmm.core.kvm.VmFd;
import java.lang.foreign.MemorySegment;

/**
 * A read-only KVM memory slot that a ROM device maps and unmaps while the VM runs, QEMU's "romd"
 * mode. Mapped, guest reads come from host memory at full speed and writes exit as MMIO; unmapped,
 * reads exit too, so the device can answer them (a flash chip in status or query mode).
 *
 * <p>Its slot number comes from the VM ({@link VmFd#allocateMemorySlot}) and is held until {@link #close()}.
 * The host memory belongs to the device: keep it mapped until this slot is closed or the VM is gone.
 */
public final class RomdSlot implements AutoCloseable {
    private final VmFd vm;
    private final int slot;
    private final long gpa;
    private final MemorySegment host;
    private boolean mapped;
    private boolean closed;

    public RomdSlot(VmFd vm, long gpa, MemorySegment host) {
        long page = GuestMemoryBuilder.PAGE_SIZE;
        if (gpa % page != 0 || host.byteSize() <= 0 || host.byteSize() % page != 0 || host.address() % page != 0) {
            throw new IllegalArgumentException(String.format(
                    "romd slot at 0x%x: gpa, size 0x%x and host address must be page aligned", gpa, host.byteSize()));
        }
        if (vm.checkExtension(KvmCap.READONLY_MEM) <= 0) {
            throw new IllegalStateException("KVM refuses read-only slots for this VM (KVM_CAP_READONLY_MEM)");
        }
        this.vm = vm;
        this.slot = vm.allocateMemorySlot();
        this.gpa = gpa;
        this.host = host;
    }

    /**
     * Maps ({@code true}) or unmaps the slot; a call that changes nothing makes no ioctl. Once closed the
     * slot stays unmapped: a vCPU still running while the machine is torn down may ask for it.
     */
    public synchronized void map(boolean on) {
        if (on == mapped || closed) {
            return;
        }
        if (on) {
            vm.setUserMemoryRegion(slot, VmFd.MEM_READONLY, gpa, host);
        } else {
            vm.deleteUserMemoryRegion(slot);
        }
        mapped = on;
    }

    /** Unmaps the slot and gives its number back; idempotent. */
    @Override
    public synchronized void close() {
        if (!closed) {
            map(false);
            closed = true;
            vm.releaseMemorySlot(slot);
        }
    }

    public int slot() {
        return slot;
    }

    public synchronized boolean isMapped() {
        return mapped;
    }

    @Override
    public String toString() {
        return String.format("romd slot %d [0x%x-0x%x)%s", slot, gpa, gpa + host.byteSize(), mapped ? " mapped" : "");
    }
}
