package dev.vmm.memory;

import dev.vmm.core.sys.Errno;
import dev.vmm.core.sys.Mmap;
import dev.vmm.core.sys.SysException;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps guest memory regions off-heap: anonymous, private, {@code MAP_NORESERVE} (host memory is used
 * only as the guest touches it), with transparent-huge-page advice or, on request, hugetlbfs pages.
 */
public final class GuestMemoryBuilder {
    public static final long PAGE_SIZE = 4096;
    public static final long HUGE_PAGE_SIZE = 2L << 20;
    /** The pool of 2 MiB pages, whatever the host's default huge page size (/proc/sys/vm/nr_hugepages is that). */
    public static final String HUGE_PAGE_POOL = "/sys/kernel/mm/hugepages/hugepages-2048kB";

    private record Spec(String name, long gpa, long size, RegionKind kind) {}

    private final List<Spec> specs = new ArrayList<>();
    private boolean hugetlb;
    private boolean thp = true;

    /** Back RAM with hugetlbfs pages (MAP_HUGETLB); the host must have 2 MiB pages reserved. */
    public GuestMemoryBuilder hugetlb(boolean on) {
        this.hugetlb = on;
        return this;
    }

    /** Advise transparent huge pages for RAM (on by default; a hint the kernel may ignore). */
    public GuestMemoryBuilder transparentHugePages(boolean on) {
        this.thp = on;
        return this;
    }

    public GuestMemoryBuilder add(String name, long gpa, long size, RegionKind kind) {
        long align = hugetlb && kind == RegionKind.RAM ? HUGE_PAGE_SIZE : PAGE_SIZE;
        if (size <= 0 || size % align != 0 || gpa % align != 0) {
            throw new IllegalArgumentException(String.format(
                    "region %s: gpa 0x%x and size 0x%x must be positive multiples of 0x%x", name, gpa, size, align));
        }
        if (Long.compareUnsigned(gpa + size, gpa) < 0 && gpa + size != 0) {
            throw new IllegalArgumentException(String.format("region %s: 0x%x + 0x%x overflows", name, gpa, size));
        }
        for (Spec s : specs) {
            if (Long.compareUnsigned(gpa, s.gpa + s.size) < 0 && Long.compareUnsigned(s.gpa, gpa + size) < 0) {
                throw new IllegalArgumentException("region " + name + " overlaps region " + s.name);
            }
        }
        specs.add(new Spec(name, gpa, size, kind));
        return this;
    }

    /**
     * Huge pages are reserved at mmap time (no MAP_NORESERVE): otherwise a missing page would surface
     * later as SIGBUS in the VMM or a fault in the guest, instead of as this error.
     */
    private Mmap map(Spec s) {
        boolean huge = hugetlb && s.kind == RegionKind.RAM;
        int flags = huge ? Mmap.MAP_HUGETLB | Mmap.MAP_HUGE_2MB : Mmap.MAP_NORESERVE;
        try {
            return Mmap.anonymous(s.size, Mmap.PROT_READ | Mmap.PROT_WRITE, flags, "guest " + s.name);
        } catch (SysException e) {
            if (huge && e.errno() == Errno.ENOMEM) {
                throw new IllegalStateException(String.format("guest %s: cannot reserve %d huge pages of 2 MiB (%s); "
                        + "reserve them first, e.g. echo %d > %s/nr_hugepages", s.name, s.size / HUGE_PAGE_SIZE,
                        Errno.name(e.errno()), s.size / HUGE_PAGE_SIZE, HUGE_PAGE_POOL), e);
            }
            throw e;
        }
    }

    public GuestMemory build() {
        List<MemoryRegion> regions = new ArrayList<>();
        try {
            for (Spec s : specs) {
                Mmap m = map(s);
                if (thp && !hugetlb && s.kind == RegionKind.RAM) {
                    m.advise(Mmap.MADV_HUGEPAGE);
                }
                regions.add(new MemoryRegion(s.name, GuestAddress.of(s.gpa), s.kind, m));
            }
            return new GuestMemory(regions);
        } catch (RuntimeException e) {
            regions.forEach(MemoryRegion::close);
            throw e;
        }
    }
}
