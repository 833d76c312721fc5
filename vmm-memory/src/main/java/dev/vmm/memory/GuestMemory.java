package dev.vmm.memory;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * All guest-physical memory of a VM and the only way to touch it. Every access names a guest address
 * and a length and must fall entirely inside one region; anything else is a
 * {@link GuestMemoryException}, never a host memory access. Guest RAM is little-endian, as is x86.
 *
 * <p>Owns its regions: {@link #close()} unmaps them. The region list is fixed at creation, so lookups
 * need no lock.
 */
public final class GuestMemory implements AutoCloseable {
    // Aligned layouts: their handles do atomic access modes; coordinates (segment, offset).
    private static final VarHandle U16 = ValueLayout.JAVA_SHORT.varHandle();
    private static final VarHandle U32 = ValueLayout.JAVA_INT.varHandle();

    /** The largest heap array the JDK allocates (a few bytes under Integer.MAX_VALUE). */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private final MemoryRegion[] regions;

    GuestMemory(List<MemoryRegion> regions) {
        List<MemoryRegion> sorted = new ArrayList<>(regions);
        sorted.sort(Comparator.comparing(MemoryRegion::start));
        for (int i = 1; i < sorted.size(); i++) {
            MemoryRegion prev = sorted.get(i - 1);
            MemoryRegion next = sorted.get(i);
            if (Long.compareUnsigned(prev.end(), next.start().value()) > 0 || prev.end() == 0) {
                throw new IllegalArgumentException("guest memory regions overlap: " + prev + " and " + next);
            }
        }
        this.regions = sorted.toArray(MemoryRegion[]::new);
    }

    public List<MemoryRegion> regions() {
        return List.of(regions);
    }

    /** Total bytes of all regions. */
    public long size() {
        long total = 0;
        for (MemoryRegion r : regions) {
            total += r.size();
        }
        return total;
    }

    /** The region holding {@code gpa}, or {@code null}. */
    public MemoryRegion findRegion(GuestAddress address) {
        return findRegion(address.value());
    }

    private MemoryRegion findRegion(long gpa) {
        int lo = 0;
        int hi = regions.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            MemoryRegion r = regions[mid];
            if (Long.compareUnsigned(gpa, r.start().value()) < 0) {
                hi = mid - 1;
            } else if (Long.compareUnsigned(gpa - r.start().value(), r.size()) >= 0) {
                lo = mid + 1;
            } else {
                return r;
            }
        }
        return null;
    }

    /** True if {@code [gpa, gpa + length)} is inside one region. */
    public boolean isValid(GuestAddress address, long length) {
        long gpa = address.value();
        MemoryRegion r = findRegion(gpa);
        return r != null && r.contains(gpa, length);
    }

    /**
     * A bounds-checked view of {@code [gpa, gpa + length)} for bulk and ring access (virtqueues,
     * DMA). The JDK checks every access through it against these bounds.
     */
    public MemorySegment slice(GuestAddress gpa, long length) {
        return slice(gpa.value(), length, false);
    }

    /** As {@link #slice}, refusing read-only (ROM) regions: for the device side of DMA writes. */
    public MemorySegment writableSlice(GuestAddress gpa, long length) {
        return slice(gpa.value(), length, true);
    }

    private MemorySegment slice(long gpa, long length, boolean write) {
        MemoryRegion r = findRegion(gpa);
        if (r == null || !r.contains(gpa, length)) {
            throw new GuestMemoryException(r == null ? "access outside guest memory"
                    : "access crosses the end of region " + r.name(), gpa, length);
        }
        if (write && r.kind() == RegionKind.ROM) {
            throw new GuestMemoryException("write to read-only region " + r.name(), gpa, length);
        }
        return r.segment().asSlice(gpa - r.start().value(), length);
    }

    public void read(GuestAddress gpa, byte[] dst) {
        MemorySegment.copy(slice(gpa.value(), dst.length, false), JAVA_BYTE, 0, dst, 0, dst.length);
    }

    /** A copy of {@code [gpa, gpa + length)}; a length no Java array can hold is refused, naming the range. */
    public byte[] read(GuestAddress gpa, long length) {
        MemorySegment from = slice(gpa.value(), length, false);
        if (length > MAX_ARRAY) {
            throw new GuestMemoryException("range too large to copy into the heap", gpa.value(), length);
        }
        return from.toArray(JAVA_BYTE);
    }

    public void write(GuestAddress gpa, byte[] src) {
        MemorySegment.copy(src, 0, slice(gpa.value(), src.length, true), JAVA_BYTE, 0, src.length);
    }

    public byte readByte(GuestAddress gpa) {
        return slice(gpa.value(), 1, false).get(JAVA_BYTE, 0);
    }

    public short readShort(GuestAddress gpa) {
        return slice(gpa.value(), 2, false).get(JAVA_SHORT_UNALIGNED, 0);
    }

    public int readInt(GuestAddress gpa) {
        return slice(gpa.value(), 4, false).get(JAVA_INT_UNALIGNED, 0);
    }

    public long readLong(GuestAddress gpa) {
        return slice(gpa.value(), 8, false).get(JAVA_LONG_UNALIGNED, 0);
    }

    public void writeByte(GuestAddress gpa, byte value) {
        slice(gpa.value(), 1, true).set(JAVA_BYTE, 0, value);
    }

    public void writeShort(GuestAddress gpa, short value) {
        slice(gpa.value(), 2, true).set(JAVA_SHORT_UNALIGNED, 0, value);
    }

    public void writeInt(GuestAddress gpa, int value) {
        slice(gpa.value(), 4, true).set(JAVA_INT_UNALIGNED, 0, value);
    }

    public void writeLong(GuestAddress gpa, long value) {
        slice(gpa.value(), 8, true).set(JAVA_LONG_UNALIGNED, 0, value);
    }

    /*
     * Ring indices shared with a guest driver (virtqueue avail/used idx, event idx, packed-ring flags).
     * Acquire and release order the access against the plain reads and writes of the ring entries, as the
     * virtio spec's barriers do: the driver writes an entry, then the index; the device reads the index,
     * then the entry. They must be naturally aligned: virtio places the available ring on 2 bytes and the
     * used ring on 4 ("Virtqueue Alignment"), so a misaligned index means a driver broke the spec; it is a
     * GuestMemoryException, never a torn access. Queue code should also refuse such ring addresses when
     * the driver sets them. Regions start on page boundaries in guest and host alike, so guest alignment
     * is host alignment.
     */

    /** The 16-bit value at {@code gpa} (2-byte aligned), read with acquire semantics. */
    public short loadAcquireShort(GuestAddress gpa) {
        return (short) U16.getAcquire(aligned(gpa.value(), 2, false), 0L);
    }

    /** Writes the 16-bit {@code value} at {@code gpa} (2-byte aligned) with release semantics. */
    public void storeReleaseShort(GuestAddress gpa, short value) {
        U16.setRelease(aligned(gpa.value(), 2, true), 0L, value);
    }

    /** The 32-bit value at {@code gpa} (4-byte aligned), read with acquire semantics. */
    public int loadAcquireInt(GuestAddress gpa) {
        return (int) U32.getAcquire(aligned(gpa.value(), 4, false), 0L);
    }

    /** Writes the 32-bit {@code value} at {@code gpa} (4-byte aligned) with release semantics. */
    public void storeReleaseInt(GuestAddress gpa, int value) {
        U32.setRelease(aligned(gpa.value(), 4, true), 0L, value);
    }

    /**
     * A full (store-load) fence. Release orders earlier accesses before a store, not a later load after
     * it, so "publish the used idx, then read used_event to decide whether to notify" (event idx) needs
     * this between the two, as QEMU's virtio_split_should_notify has smp_mb() and Linux's driver side
     * virtqueue_kick_prepare has virtio_mb().
     */
    public static void fullFence() {
        VarHandle.fullFence();
    }

    private MemorySegment aligned(long gpa, int size, boolean write) {
        if ((gpa & (size - 1)) != 0) {
            throw new GuestMemoryException("misaligned " + size + "-byte ring access (must be " + size
                    + "-byte aligned)", gpa, size);
        }
        return slice(gpa, size, write);
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        for (MemoryRegion r : regions) {
            try {
                r.close();
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public String toString() {
        return List.of(regions).toString();
    }
}
