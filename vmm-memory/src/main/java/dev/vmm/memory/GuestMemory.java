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
    public MemoryRegion findRegion(long gpa) {
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
    public boolean isValid(long gpa, long length) {
        MemoryRegion r = findRegion(gpa);
        return r != null && r.contains(gpa, length);
    }

    /**
     * A bounds-checked view of {@code [gpa, gpa + length)} for bulk and ring access (virtqueues,
     * DMA). The JDK checks every access through it against these bounds.
     */
    public MemorySegment slice(long gpa, long length) {
        return slice(gpa, length, false);
    }

    /** As {@link #slice}, refusing read-only (ROM) regions: for the device side of DMA writes. */
    public MemorySegment writableSlice(long gpa, long length) {
        return slice(gpa, length, true);
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

    public void read(long gpa, byte[] dst) {
        MemorySegment.copy(slice(gpa, dst.length), JAVA_BYTE, 0, dst, 0, dst.length);
    }

    public byte[] read(long gpa, int length) {
        byte[] b = new byte[length];
        read(gpa, b);
        return b;
    }

    public void write(long gpa, byte[] src) {
        MemorySegment.copy(src, 0, writableSlice(gpa, src.length), JAVA_BYTE, 0, src.length);
    }

    public byte readByte(long gpa) {
        return slice(gpa, 1).get(JAVA_BYTE, 0);
    }

    public short readShort(long gpa) {
        return slice(gpa, 2).get(JAVA_SHORT_UNALIGNED, 0);
    }

    public int readInt(long gpa) {
        return slice(gpa, 4).get(JAVA_INT_UNALIGNED, 0);
    }

    public long readLong(long gpa) {
        return slice(gpa, 8).get(JAVA_LONG_UNALIGNED, 0);
    }

    public void writeByte(long gpa, byte value) {
        writableSlice(gpa, 1).set(JAVA_BYTE, 0, value);
    }

    public void writeShort(long gpa, short value) {
        writableSlice(gpa, 2).set(JAVA_SHORT_UNALIGNED, 0, value);
    }

    public void writeInt(long gpa, int value) {
        writableSlice(gpa, 4).set(JAVA_INT_UNALIGNED, 0, value);
    }

    public void writeLong(long gpa, long value) {
        writableSlice(gpa, 8).set(JAVA_LONG_UNALIGNED, 0, value);
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
    public short loadAcquireShort(long gpa) {
        return (short) U16.getAcquire(aligned(gpa, 2, false), 0L);
    }

    /** Writes the 16-bit {@code value} at {@code gpa} (2-byte aligned) with release semantics. */
    public void storeReleaseShort(long gpa, short value) {
        U16.setRelease(aligned(gpa, 2, true), 0L, value);
    }

    /** The 32-bit value at {@code gpa} (4-byte aligned), read with acquire semantics. */
    public int loadAcquireInt(long gpa) {
        return (int) U32.getAcquire(aligned(gpa, 4, false), 0L);
    }

    /** Writes the 32-bit {@code value} at {@code gpa} (4-byte aligned) with release semantics. */
    public void storeReleaseInt(long gpa, int value) {
        U32.setRelease(aligned(gpa, 4, true), 0L, value);
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
