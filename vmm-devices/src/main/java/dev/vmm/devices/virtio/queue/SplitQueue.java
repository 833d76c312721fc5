package dev.vmm.devices.virtio.queue;

import dev.vmm.memory.GuestAddress;
import dev.vmm.memory.GuestMemory;
import dev.vmm.memory.GuestMemoryException;
import dev.vmm.memory.RegionKind;
import java.util.ArrayList;
import java.util.List;

/**
 * The device side of a split virtqueue (virtio 1.2, 2.7), with every value the driver controls
 * checked before use: the rings lie inside guest RAM and are aligned (checked once, when the queue is
 * made); the available index never moves by more than the queue size; a head or next index is below
 * the size (or the indirect table's length); a chain is at most as long as the queue (or its indirect
 * table), so a loop ends; an indirect descriptor is offered only with INDIRECT_DESC, never inside an
 * indirect table, never with NEXT, and its table is whole descriptors inside RAM; readable buffers come
 * before writable ones; every buffer lies inside guest RAM. The used ring is written at indexes taken
 * modulo the size, so it stays inside the ring. A violation is a {@link VirtqueueViolation}.
 *
 * <p>One thread uses a queue at a time (the device's I/O thread); the driver runs concurrently on the
 * vCPUs, so the ring indexes are read with acquire and written with release.
 */
public final class SplitQueue {
    /** The split ring's largest queue size (virtio 1.2, 2.7: 32768). */
    public static final int MAX_SIZE = 32768;

    private final String name;
    private final GuestMemory memory;
    private final int size;
    private final GuestAddress desc;
    private final GuestAddress avail;
    private final GuestAddress used;
    private final boolean indirect;
    private final boolean eventIdx;
    private short nextAvail;
    private short nextUsed;
    /** The used index when the driver was last notified (EVENT_IDX decides from it). */
    private short signalledUsed;
    private boolean signalledOnce;

    /**
     * @param name     for messages ("virtio-blk0 queue 0")
     * @param indirect VIRTIO_RING_F_INDIRECT_DESC was negotiated
     * @param eventIdx VIRTIO_RING_F_EVENT_IDX was negotiated
     */
    public SplitQueue(String name, GuestMemory memory, int size, GuestAddress desc, GuestAddress avail, GuestAddress used,
                      boolean indirect, boolean eventIdx) {
        this.name = name;
        this.memory = memory;
        if (size <= 0 || size > MAX_SIZE || Integer.bitCount(size) != 1) {
            throw new VirtqueueViolation(name + ": queue_size " + size + " is not a power of two in 1-" + MAX_SIZE);
        }
        this.size = size;
        this.desc = area(memory, name, "queue_desc", desc, Vring.descTableSize(size), Vring.DESC_ALIGN);
        this.avail = area(memory, name, "queue_driver", avail, Vring.availRingSize(size), Vring.AVAIL_ALIGN);
        this.used = area(memory, name, "queue_device", used, Vring.usedRingSize(size), Vring.USED_ALIGN);
        if (memory.findRegion(used).kind() == RegionKind.ROM) {
            throw new VirtqueueViolation(name + ": queue_device " + used + " is in read-only memory");
        }
        this.indirect = indirect;
        this.eventIdx = eventIdx;
    }

    private static GuestAddress area(GuestMemory memory, String name, String field, GuestAddress at, long length,
                                     int alignment) {
        if (!at.isAligned(alignment)) {
            throw new VirtqueueViolation(name + ": " + field + " " + at + " is not " + alignment + "-byte aligned");
        }
        if (!memory.isValid(at, length)) {
            throw new VirtqueueViolation(name + ": " + field + " " + at + " + " + length + " bytes is outside guest RAM");
        }
        return at;
    }

    public int size() {
        return size;
    }

    public String name() {
        return name;
    }

    /** The next request the driver made available, or null if there is none. */
    public DescriptorChain pop() {
        try {
            short availIdx = memory.loadAcquireShort(avail.plus(2));
            int pending = (availIdx - nextAvail) & 0xffff;
            if (pending == 0) {
                return null;
            }
            if (pending > size) {
                throw new VirtqueueViolation(name + ": avail.idx " + (availIdx & 0xffff) + " is " + pending
                        + " entries ahead of the device, more than the queue size " + size);
            }
            int slot = (nextAvail & 0xffff) % size;
            int head = memory.readShort(avail.plus(Vring.AVAIL_HEADER + 2L * slot)) & 0xffff;
            DescriptorChain chain = walk(head);
            nextAvail++;
            if (eventIdx) {
                // avail_event: wake me when the driver has made the next entry available.
                memory.storeReleaseShort(used.plus(Vring.USED_HEADER + Vring.USED_ELEM_SIZE * size), nextAvail);
            }
            return chain;
        } catch (GuestMemoryException e) {
            throw new VirtqueueViolation(name + ": " + e.getMessage());
        }
    }

    private DescriptorChain walk(int head) {
        if (head >= size) {
            throw new VirtqueueViolation(name + ": avail.ring head " + head + " is beyond the queue size " + size);
        }
        List<DescriptorChain.Buffer> readable = new ArrayList<>();
        List<DescriptorChain.Buffer> writable = new ArrayList<>();
        GuestAddress table = desc;
        int tableSize = size;
        boolean inIndirect = false;
        int index = head;
        int seen = 0;
        while (true) {
            if (++seen > tableSize) {
                throw new VirtqueueViolation(name + ": descriptor chain from head " + head + " is longer than its table ("
                        + tableSize + "): a loop");
            }
            GuestAddress entry = table.plus(Vring.DESC_SIZE * index);
            long addr = memory.readLong(entry);
            int len = memory.readInt(entry.plus(8));
            int flags = memory.readShort(entry.plus(12)) & 0xffff;
            int next = memory.readShort(entry.plus(14)) & 0xffff;
            if ((flags & Vring.DESC_F_INDIRECT) != 0) {
                if (!indirect) {
                    throw new VirtqueueViolation(name + ": descriptor " + index + " is INDIRECT, which was not negotiated");
                }
                if (inIndirect) {
                    throw new VirtqueueViolation(name + ": descriptor " + index + " of an indirect table is INDIRECT again");
                }
                if ((flags & Vring.DESC_F_NEXT) != 0) {
                    throw new VirtqueueViolation(name + ": descriptor " + index + " is INDIRECT and NEXT");
                }
                long bytes = Integer.toUnsignedLong(len);
                if (bytes == 0 || bytes % Vring.DESC_SIZE != 0 || bytes / Vring.DESC_SIZE > MAX_SIZE) {
                    throw new VirtqueueViolation(name + ": indirect table of " + bytes + " bytes is not 1-" + MAX_SIZE
                            + " whole descriptors");
                }
                table = checked(addr, bytes, "indirect table", index);
                tableSize = (int) (bytes / Vring.DESC_SIZE);
                inIndirect = true;
                index = 0;
                seen = 0;
                continue;
            }
            boolean deviceWrites = (flags & Vring.DESC_F_WRITE) != 0;
            GuestAddress at = checked(addr, Integer.toUnsignedLong(len), deviceWrites ? "writable buffer" : "buffer", index);
            if (deviceWrites && len != 0 && memory.findRegion(at).kind() == RegionKind.ROM) {
                throw new VirtqueueViolation(String.format("%s: descriptor %d: writable buffer 0x%x is in read-only memory",
                        name, index, addr));
            }
            var buffer = new DescriptorChain.Buffer(at, len);
            if (deviceWrites) {
                writable.add(buffer);
            } else if (!writable.isEmpty()) {
                throw new VirtqueueViolation(name + ": descriptor " + index + " is device-readable after a writable one");
            } else {
                readable.add(buffer);
            }
            if ((flags & Vring.DESC_F_NEXT) == 0) {
                return new DescriptorChain(head, readable, writable);
            }
            if (next >= tableSize) {
                throw new VirtqueueViolation(name + ": descriptor " + index + " has next " + next + ", beyond its table ("
                        + tableSize + ")");
            }
            index = next;
        }
    }

    private GuestAddress checked(long addr, long length, String what, int index) {
        GuestAddress at = GuestAddress.of(addr);
        if (Long.compareUnsigned(addr + length, addr) < 0 || !memory.isValid(at, Math.max(length, 1))) {
            throw new VirtqueueViolation(String.format("%s: descriptor %d: %s 0x%x + %d bytes is outside guest RAM",
                    name, index, what, addr, length));
        }
        return at;
    }

    /** Returns {@code chain} to the driver with {@code written} bytes written into its writable buffers. */
    public void pushUsed(DescriptorChain chain, int written) {
        int slot = (nextUsed & 0xffff) % size;
        GuestAddress elem = used.plus(Vring.USED_HEADER + Vring.USED_ELEM_SIZE * slot);
        memory.writeInt(elem, chain.head());
        memory.writeInt(elem.plus(4), written);
        nextUsed++;
        memory.storeReleaseShort(used.plus(2), nextUsed);
    }

    /**
     * Whether the driver wants an interrupt for what was used since the last one: with EVENT_IDX when
     * the used index passed used_event (vring_need_event), otherwise unless it set NO_INTERRUPT.
     */
    public boolean needsInterrupt() {
        GuestMemory.fullFence();        // the used idx is published before used_event or flags are read
        boolean needed;
        if (eventIdx) {
            int usedEvent = memory.readShort(avail.plus(Vring.AVAIL_HEADER + 2L * size)) & 0xffff;
            int now = nextUsed & 0xffff;
            int old = signalledUsed & 0xffff;
            needed = !signalledOnce || ((now - usedEvent - 1) & 0xffff) < ((now - old) & 0xffff);
        } else {
            needed = (memory.readShort(avail) & Vring.AVAIL_F_NO_INTERRUPT) == 0;
        }
        signalledUsed = nextUsed;
        signalledOnce = true;
        return needed;
    }
}
