package dev.vmm.devices.bus;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Maps address ranges of one address space (port I/O or MMIO) to devices.
 *
 * <p>Lookups are lock-free: the ranges, sorted by base, are an array replaced, never changed, and
 * published through a volatile field; a lookup is a binary search of it (a {@code TreeMap} boxed every
 * address and compared through a lambda: 4.5% of the VMM's own time per port-I/O exit, profiled, where
 * the search is 1.6%). Inserts and removals (rare: build time, PCI BAR programming) take the bus lock.
 * The bus never calls a device while holding it, so the only order is device lock, then bus lock: a
 * PCI function relocating its BAR from inside its config write holds its own lock and takes the bus's.
 */
public final class Bus {
    private static final System.Logger LOG = System.getLogger("vmm.bus");
    private static final int MAX_LOGGED_UNCLAIMED = 64;

    /** A placed device: {@code [base, base + length)}; {@code base + length} may be 2^64. */
    public record Range(long base, long length, String name, BusDevice device) {
        boolean contains(long address) {
            return Long.compareUnsigned(address - base, length) < 0 && Long.compareUnsigned(address, base) >= 0;
        }

        long last() {
            return base + length - 1;
        }
    }

    private static final Comparator<Range> BY_BASE = (a, b) -> Long.compareUnsigned(a.base(), b.base());

    private final String space;
    private volatile Range[] ranges = {};
    private final Set<Long> loggedUnclaimed = ConcurrentHashMap.newKeySet();

    /** @param space "pio" or "mmio", for messages */
    public Bus(String space) {
        this.space = space;
    }

    /** Places {@code device} at {@code [base, base + length)}; zero length, overflow and overlap are errors. */
    public synchronized void insert(long base, long length, String name, BusDevice device) {
        if (length <= 0) {
            throw new BusException(space + ": " + name + " has length " + length);
        }
        long last = base + length - 1;
        if (Long.compareUnsigned(last, base) < 0) {
            throw new BusException(String.format("%s: %s at 0x%x + 0x%x overflows", space, name, base, length));
        }
        for (Range r : ranges) {
            if (Long.compareUnsigned(base, r.last()) <= 0 && Long.compareUnsigned(r.base(), last) <= 0) {
                throw new BusException(String.format("%s: %s [0x%x-0x%x] overlaps %s [0x%x-0x%x]", space, name, base,
                        last, r.name(), r.base(), r.last()));
            }
        }
        List<Range> copy = new ArrayList<>(List.of(ranges));
        copy.add(new Range(base, length, name, device));
        copy.sort(BY_BASE);
        ranges = copy.toArray(Range[]::new);
    }

    /** Removes the device placed at exactly {@code base}; returns it, or null. */
    public synchronized BusDevice remove(long base) {
        Range removed = placedAt(base);
        if (removed == null) {
            return null;
        }
        List<Range> copy = new ArrayList<>(ranges.length - 1);
        for (Range r : ranges) {
            if (r != removed) {
                copy.add(r);
            }
        }
        ranges = copy.toArray(Range[]::new);
        return removed.device();
    }

    /**
     * Removes {@code device} if it is the one placed at exactly {@code base}: a relocation taking back its
     * own range never removes another device's. Returns whether it did.
     */
    public synchronized boolean remove(long base, BusDevice device) {
        Range r = placedAt(base);
        if (r == null || r.device() != device) {
            return false;
        }
        remove(base);
        return true;
    }

    /** The range holding {@code address}, or null. */
    public Range find(long address) {
        Range[] sorted = ranges;
        int lo = 0;
        int hi = sorted.length - 1;
        while (lo <= hi) {      // the last range whose base is at or below the address
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(sorted[mid].base(), address) <= 0) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return hi >= 0 && sorted[hi].contains(address) ? sorted[hi] : null;
    }

    private Range placedAt(long base) {
        Range r = find(base);
        return r != null && r.base() == base ? r : null;
    }

    /** Reads at {@code address}; unclaimed addresses read as all-ones. Returns whether a device answered. */
    public boolean read(long address, MemorySegment data) {
        Range r = find(address);
        if (r == null) {
            data.fill((byte) 0xff);
            logUnclaimed("read", address, data.byteSize());
            return false;
        }
        r.device().read(address - r.base(), data);
        return true;
    }

    /** Writes at {@code address}; writes to unclaimed addresses are dropped. */
    public boolean write(long address, MemorySegment data) {
        Range r = find(address);
        if (r == null) {
            logUnclaimed("write", address, data.byteSize());
            return false;
        }
        r.device().write(address - r.base(), data);
        return true;
    }

    /** The placed ranges, by base. */
    public List<Range> ranges() {
        return List.of(ranges);
    }

    private void logUnclaimed(String what, long address, long size) {
        if (loggedUnclaimed.size() < MAX_LOGGED_UNCLAIMED && loggedUnclaimed.add(address)) {
            LOG.log(System.Logger.Level.DEBUG, String.format("%s: unclaimed %d-byte %s at 0x%x%s", space, size, what,
                    address, loggedUnclaimed.size() == MAX_LOGGED_UNCLAIMED ? " (further addresses not logged)" : ""));
        }
    }
}
