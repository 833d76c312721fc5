package dev.vmm.memory;

import dev.vmm.core.sys.Mmap;
import java.lang.foreign.MemorySegment;

/**
 * One contiguous range of guest-physical memory and the host mapping behind it, which it owns.
 * {@link #segment()} never escapes this module except to the KVM slot registration.
 */
public final class MemoryRegion implements AutoCloseable {
    private final String name;
    private final GuestAddress start;
    private final RegionKind kind;
    private final Mmap mapping;

    MemoryRegion(String name, GuestAddress start, RegionKind kind, Mmap mapping) {
        this.name = name;
        this.start = start;
        this.kind = kind;
        this.mapping = mapping;
    }

    public String name() {
        return name;
    }

    public GuestAddress start() {
        return start;
    }

    public long size() {
        return mapping.size();
    }

    /** First address past the region (may be 2^64, hence unsigned comparisons everywhere). */
    public long end() {
        return start.value() + mapping.size();
    }

    public RegionKind kind() {
        return kind;
    }

    /** True if {@code [gpa, gpa + length)} lies inside this region. */
    public boolean contains(long gpa, long length) {
        if (length < 0 || Long.compareUnsigned(gpa, start.value()) < 0) {
            return false;
        }
        long offset = gpa - start.value();
        return Long.compareUnsigned(offset, size()) <= 0 && length <= size() - offset;
    }

    /** The host mapping; package-private so that only slot registration and access code see it. */
    MemorySegment segment() {
        return mapping.segment();
    }

    /**
     * Copies a firmware or kernel image into this region at {@code offset}, ROM included: this is the
     * VMM loading the machine, before any vCPU runs.
     */
    public void load(long offset, byte[] image) {
        if (offset < 0 || offset > size() || image.length > size() - offset) {
            throw new GuestMemoryException("image of " + image.length + " bytes does not fit region " + name,
                    start.value() + offset, image.length);
        }
        MemorySegment.copy(MemorySegment.ofArray(image), 0, mapping.segment(), offset, image.length);
    }

    @Override
    public void close() {
        mapping.close();
    }

    @Override
    public String toString() {
        return String.format("%s %s [0x%x-0x%x)", name, kind, start.value(), end());
    }
}
