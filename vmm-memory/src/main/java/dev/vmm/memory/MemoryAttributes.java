package dev.vmm.memory;

import java.util.Map;
import java.util.TreeMap;

/**
 * Which guest pages are private, as KVM_SET_MEMORY_ATTRIBUTES holds it: the one place private/shared
 * conversions happen, whether the launch asks (pages to import) or the guest does (page-state change
 * hypercalls, memory faults). Every change goes to the {@link Sink} (KVM on an SNP host; nothing on a
 * host without, where only this record is kept) and is recorded here for queries.
 */
public final class MemoryAttributes {
    public static final long PAGE_SIZE = 4096;

    /** Applies an attribute change; throws if the kernel refuses it. */
    @FunctionalInterface
    public interface Sink {
        void setPrivate(long gpa, long size, boolean toPrivate);
    }

    private final Sink sink;
    /** Private ranges: start -> end (exclusive), disjoint and not adjacent. */
    private final TreeMap<Long, Long> privateRanges = new TreeMap<>();

    public MemoryAttributes(Sink sink) {
        this.sink = sink;
    }

    /** Makes {@code [gpa, gpa + size)} private or shared; page aligned. */
    public synchronized void setPrivate(long gpa, long size, boolean toPrivate) {
        if (gpa % PAGE_SIZE != 0 || size % PAGE_SIZE != 0 || size <= 0 || gpa + size < gpa) {
            throw new GuestMemoryException("attribute change needs whole pages", gpa, size);
        }
        sink.setPrivate(gpa, size, toPrivate);
        long end = gpa + size;
        // Cut [gpa, end) out of every range, then add it back if private, merging neighbours.
        // (Entries are read into locals first: TreeMap entries are live and change with put.)
        Map.Entry<Long, Long> before = privateRanges.lowerEntry(gpa);
        if (before != null && before.getValue() > gpa) {
            long beforeStart = before.getKey();
            long beforeEnd = before.getValue();
            privateRanges.put(beforeStart, gpa);
            if (beforeEnd > end) {
                privateRanges.put(end, beforeEnd);
            }
        }
        for (Long start : privateRanges.subMap(gpa, true, end, false).keySet().stream().toList()) {
            long rangeEnd = privateRanges.remove(start);
            if (rangeEnd > end) {
                privateRanges.put(end, rangeEnd);
            }
        }
        if (toPrivate) {
            long start = gpa;
            long stop = end;
            Map.Entry<Long, Long> left = privateRanges.lowerEntry(start);
            if (left != null && left.getValue() == start) {
                start = left.getKey();
                privateRanges.remove(start);
            }
            Long right = privateRanges.get(stop);
            if (right != null) {
                privateRanges.remove(stop);
                stop = right;
            }
            privateRanges.put(start, stop);
        }
    }

    public synchronized boolean isPrivate(long gpa) {
        Map.Entry<Long, Long> e = privateRanges.floorEntry(gpa);
        return e != null && gpa < e.getValue();
    }

    /** Total private bytes (for diagnostics and tests). */
    public synchronized long privateBytes() {
        return privateRanges.entrySet().stream().mapToLong(e -> e.getValue() - e.getKey()).sum();
    }
}
