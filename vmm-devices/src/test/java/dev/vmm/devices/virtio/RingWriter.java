package dev.vmm.devices.virtio;

import dev.vmm.devices.virtio.queue.Vring;
import dev.vmm.memory.GuestAddress;
import dev.vmm.memory.GuestMemory;

/**
 * The driver's side of one split virtqueue in a test's guest memory, written byte by byte as a
 * driver (or a hostile guest) would: descriptors, available entries, the available index, used_event.
 */
public final class RingWriter {
    public final GuestMemory memory;
    public final int size;
    public final long desc;
    public final long avail;
    public final long used;
    private short availIdx;

    public RingWriter(GuestMemory memory, int size, long base) {
        this.memory = memory;
        this.size = size;
        this.desc = base;
        this.avail = base + Vring.descTableSize(size);
        this.used = (avail + Vring.availRingSize(size) + 3) & ~3L;
    }

    public RingWriter descriptor(int index, long addr, int len, int flags, int next) {
        return descriptorAt(desc, index, addr, len, flags, next);
    }

    /** A descriptor in any table (an indirect one, say) at {@code table}. */
    public RingWriter descriptorAt(long table, int index, long addr, int len, int flags, int next) {
        GuestAddress at = GuestAddress.of(table + Vring.DESC_SIZE * index);
        memory.writeLong(at, addr);
        memory.writeInt(at.plus(8), len);
        memory.writeShort(at.plus(12), (short) flags);
        memory.writeShort(at.plus(14), (short) next);
        return this;
    }

    /** Makes the chain at {@code head} available. */
    public RingWriter offer(int head) {
        memory.writeShort(GuestAddress.of(avail + 4 + 2L * ((availIdx & 0xffff) % size)), (short) head);
        availIdx++;
        memory.storeReleaseShort(GuestAddress.of(avail + 2), availIdx);
        return this;
    }

    /** Sets avail.idx to anything, as a hostile driver may. */
    public RingWriter availIdx(int idx) {
        availIdx = (short) idx;
        memory.storeReleaseShort(GuestAddress.of(avail + 2), availIdx);
        return this;
    }

    public RingWriter availFlags(int flags) {
        memory.writeShort(GuestAddress.of(avail), (short) flags);
        return this;
    }

    public RingWriter usedEvent(int value) {
        memory.writeShort(GuestAddress.of(avail + 4 + 2L * size), (short) value);
        return this;
    }

    public int usedIdx() {
        return memory.loadAcquireShort(GuestAddress.of(used + 2)) & 0xffff;
    }

    /** The used element at slot {@code i}: {id, len}. */
    public int[] usedElem(int i) {
        GuestAddress at = GuestAddress.of(used + 4 + 8L * (i % size));
        return new int[] {memory.readInt(at), memory.readInt(at.plus(4))};
    }

    public int availEvent() {
        return memory.readShort(GuestAddress.of(used + 4 + 8L * size)) & 0xffff;
    }
}
