package dev.vmm.app.devicemanager;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Ranges of one window of an address space (port I/O, the 32- or 64-bit PCI MMIO window), first fit from
 * the bottom. Allocations are aligned as asked (a BAR: to its size); fixed reservations need none.
 * Thread-safe. Addresses are below 2^63.
 */
public final class AddressAllocator {
    /** One range handed out. */
    public record Range(long base, long size, String owner) {
        public long end() {
            return base + size;
        }

        @Override
        public String toString() {
            return String.format("%s [0x%x-0x%x]", owner, base, end() - 1);
        }
    }

    private final String space;
    private final long base;
    private final long end;
    private final TreeMap<Long, Range> ranges = new TreeMap<>();

    /** The window {@code [base, end)} of {@code space} ("pio", "mmio32", ...), named in every error. */
    public AddressAllocator(String space, long base, long end) {
        if (base < 0 || end <= base) {
            throw new IllegalArgumentException(String.format("%s: empty window [0x%x, 0x%x)", space, base, end));
        }
        this.space = space;
        this.base = base;
        this.end = end;
    }

    public long base() {
        return base;
    }

    public long end() {
        return end;
    }

    /** The lowest free {@code size} bytes aligned to {@code alignment} (a power of two). */
    public synchronized long allocate(long size, long alignment, String owner) {
        if (size <= 0 || Long.bitCount(alignment) != 1) {
            throw new IllegalArgumentException(String.format("%s: %s asks 0x%x bytes aligned to 0x%x", space, owner,
                    size, alignment));
        }
        long candidate = alignUp(base, alignment);
        for (Range r : ranges.values()) {
            if (candidate < 0 || fits(candidate, size, r.base())) {
                break;
            }
            if (r.end() > candidate) {
                candidate = alignUp(r.end(), alignment);
            }
        }
        if (candidate < 0 || !fits(candidate, size, end)) {
            throw new AllocationException(String.format("%s: no 0x%x bytes aligned to 0x%x left in [0x%x-0x%x] for %s"
                    + " (%d ranges taken)", space, size, alignment, base, end - 1, owner, ranges.size()));
        }
        ranges.put(candidate, new Range(candidate, size, owner));
        return candidate;
    }

    /** Takes exactly {@code [at, at + size)}, for a device whose address is fixed. */
    public synchronized void reserve(long at, long size, String owner) {
        if (size <= 0 || at < base || !fits(at, size, end)) {
            throw new AllocationException(String.format("%s: %s [0x%x, +0x%x) is outside the window [0x%x-0x%x]",
                    space, owner, at, size, base, end - 1));
        }
        Range wanted = new Range(at, size, owner);
        checkOverlap(wanted, ranges.floorEntry(at));
        checkOverlap(wanted, ranges.ceilingEntry(at));
        ranges.put(at, wanted);
    }

    /** Gives back the range that starts at {@code at}. */
    public synchronized void release(long at) {
        if (ranges.remove(at) == null) {
            throw new AllocationException(String.format("%s: nothing was allocated at 0x%x", space, at));
        }
    }

    public synchronized List<Range> ranges() {
        return new ArrayList<>(ranges.values());
    }

    private void checkOverlap(Range wanted, Map.Entry<Long, Range> neighbour) {
        Range r = neighbour == null ? null : neighbour.getValue();
        if (r != null && r.base() < wanted.end() && wanted.base() < r.end()) {
            throw new AllocationException(space + ": " + wanted + " overlaps " + r);
        }
    }

    /** Whether {@code [at, at + size)} ends by {@code limit}, without overflow. */
    private static boolean fits(long at, long size, long limit) {
        return at <= limit && size <= limit - at;
    }

    /** {@code value} rounded up to {@code alignment}; negative if that overflows. */
    private static long alignUp(long value, long alignment) {
        long r = (value + alignment - 1) & -alignment;
        return r < value ? -1 : r;
    }
}
