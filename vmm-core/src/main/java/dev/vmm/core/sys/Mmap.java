package dev.vmm.core.sys;

import dev.vmm.core.abi.CName;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An owned mmap(2) mapping. {@link #segment()} is sized to the mapping, so every access through it
 * is bounds-checked by the JDK; the segment must not be used after {@link #close()}.
 */
public final class Mmap implements AutoCloseable {
    @CName("PROT_NONE") public static final int PROT_NONE = 0;
    @CName("PROT_READ") public static final int PROT_READ = 1;
    @CName("PROT_WRITE") public static final int PROT_WRITE = 2;
    @CName("MAP_SHARED") public static final int MAP_SHARED = 1;
    @CName("MAP_PRIVATE") public static final int MAP_PRIVATE = 2;
    @CName("MAP_ANONYMOUS") public static final int MAP_ANONYMOUS = 0x20;
    @CName("MAP_NORESERVE") public static final int MAP_NORESERVE = 0x4000;
    @CName("MAP_HUGETLB") public static final int MAP_HUGETLB = 0x40000;
    /** MAP_HUGE_2MB of linux/mman.h: the page size in bits 26-31, so a host whose default is 1 GiB still maps 2 MiB. */
    @CName("HUGETLB_FLAG_ENCODE_2MB") public static final int MAP_HUGE_2MB = 21 << 26;
    @CName("MADV_HUGEPAGE") public static final int MADV_HUGEPAGE = 14;
    @CName("MADV_DONTDUMP") public static final int MADV_DONTDUMP = 16;

    private final MemorySegment segment;
    private final Arena arena;
    private final String what;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Mmap(MemorySegment address, long size, String what) {
        // The segment lives in an arena of its own: after close, any access through a view of it is an
        // IllegalStateException instead of a touch of unmapped (or reused) host memory.
        this.arena = Arena.ofShared();
        this.segment = address.reinterpret(size, arena, null);
        this.what = what;
    }

    /** Anonymous private memory, for guest RAM. */
    public static Mmap anonymous(long size, int prot, int extraFlags, String what) {
        return map(size, prot, MAP_PRIVATE | MAP_ANONYMOUS | extraFlags, -1, 0, what);
    }

    /** A shared mapping of {@code fd} (the vCPU's kvm_run page, a guest_memfd, a flash file). */
    public static Mmap file(Fd fd, long size, int prot, long offset, String what) {
        return map(size, prot, MAP_SHARED, fd.raw(), offset, what);
    }

    private static Mmap map(long size, int prot, int flags, int fd, long offset, String what) {
        if (size <= 0) {
            throw new IllegalArgumentException("mmap of " + what + ": size " + size);
        }
        long p = Syscall.call(Syscall.MMAP, 0, size, prot, flags, fd, offset);
        if (p < 0) {
            throw new SysException("mmap", (int) -p, what + ", " + size + " bytes");
        }
        return new Mmap(MemorySegment.ofAddress(p), size, what);
    }

    public MemorySegment segment() {
        if (closed.get()) {
            throw new IllegalStateException(what + " is unmapped");
        }
        return segment;
    }

    public long size() {
        return segment.byteSize();
    }

    /** Advice is a hint: failure (for example no THP in this kernel) is returned, not thrown. */
    public boolean advise(int advice) {
        return Syscall.call(Syscall.MADVISE, Syscall.address(segment()), segment.byteSize(), advice) == 0;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            long address = segment.address();
            long size = segment.byteSize();
            arena.close();
            long r = Syscall.call(Syscall.MUNMAP, address, size);
            if (r < 0) {
                throw new SysException("munmap", (int) -r, what);
            }
        }
    }

    @Override
    public String toString() {
        return what + "[" + segment.byteSize() + " bytes" + (closed.get() ? ", unmapped]" : "]");
    }
}
