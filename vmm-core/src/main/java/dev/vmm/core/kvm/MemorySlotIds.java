package dev.vmm.core.kvm;

import java.util.BitSet;
import java.util.function.IntSupplier;

/**
 * The user memory slot numbers of one VM, as Firecracker's Vm owns {@code next_kvm_slot}: every slot
 * the VMM registers takes its number from here, so that guest RAM, ROM and romd flash never collide.
 * KVM accepts ids below KVM_CAP_NR_MEMSLOTS (the kernel's KVM_USER_MEM_SLOTS: its own internal slots lie
 * above, see __kvm_set_memory_region's {@code id >= KVM_USER_MEM_SLOTS} check); the lowest free id is
 * handed out, so a released one is used again.
 */
final class MemorySlotIds {
    private final IntSupplier limitQuery;
    private final BitSet used = new BitSet();
    private int limit = -1;

    /** @param limitQuery asked once, on first use: KVM_CHECK_EXTENSION(KVM_CAP_NR_MEMSLOTS) */
    MemorySlotIds(IntSupplier limitQuery) {
        this.limitQuery = limitQuery;
    }

    synchronized int limit() {
        if (limit < 0) {
            limit = limitQuery.getAsInt();
        }
        return limit;
    }

    synchronized int allocate() {
        int slot = used.nextClearBit(0);
        if (slot >= limit()) {
            throw new IllegalStateException("KVM_SET_USER_MEMORY_REGION: all " + limit
                    + " memory slots of this VM are in use (KVM_CAP_NR_MEMSLOTS)");
        }
        used.set(slot);
        return slot;
    }

    synchronized void release(int slot) {
        if (slot < 0 || !used.get(slot)) {
            throw new IllegalArgumentException("memory slot " + slot + " was not allocated");
        }
        used.clear(slot);
    }

    synchronized int inUse() {
        return used.cardinality();
    }
}
