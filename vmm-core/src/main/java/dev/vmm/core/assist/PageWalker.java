package dev.vmm.core.assist;

import dev.vmm.core.kvm.Sregs;

/**
 * Linear to guest-physical translation by walking the guest's page tables, as the MMU does (Intel SDM
 * vol. 3, chapter 4): no paging, 32-bit paging (with PSE 4 MiB pages), PAE, and 4-level paging.
 * Accessed and dirty bits are not set: the assisted instructions run with the tables the guest built,
 * and OVMF does not track A/D.
 */
final class PageWalker {
    private static final long CR0_PG = 1L << 31;
    private static final long CR0_WP = 1L << 16;
    private static final long CR4_PSE = 1L << 4;
    private static final long CR4_PAE = 1L << 5;
    private static final long CR4_LA57 = 1L << 12;
    private static final long EFER_LMA = 1L << 10;
    private static final long PRESENT = 1;
    private static final long WRITABLE = 2;
    private static final long PAGE_SIZE_BIT = 1L << 7;
    private static final long ADDRESS_MASK = 0x000f_ffff_ffff_f000L;

    private final PhysicalMemory memory;

    PageWalker(PhysicalMemory memory) {
        this.memory = memory;
    }

    /** The guest-physical address of {@code linear}, or throws {@link AssistException} on a page fault. */
    long translate(Sregs sregs, long linear, boolean write) throws AssistException {
        if ((sregs.cr0() & CR0_PG) == 0) {
            return linear & 0xffffffffL;
        }
        // Supervisor writes honour R/W only with CR0.WP; the firmware runs at CPL 0.
        write = write && (sregs.cr0() & CR0_WP) != 0;
        if ((sregs.efer() & EFER_LMA) != 0) {
            if ((sregs.cr4() & CR4_LA57) != 0) {
                throw new AssistException("5-level paging is not supported by the assist");
            }
            long entry = sregs.cr3() & ADDRESS_MASK;
            for (int level = 4; level >= 1; level--) {
                int shift = 12 + 9 * (level - 1);
                entry = readEntry(entry + ((linear >>> shift) & 0x1ff) * 8, linear, write, 8);
                if (level > 1 && (entry & PAGE_SIZE_BIT) != 0) {
                    if (level == 4) {
                        throw new AssistException("reserved PS bit in a PML4 entry");
                    }
                    long mask = (1L << shift) - 1;
                    return (entry & ADDRESS_MASK & ~mask) | (linear & mask);
                }
                if (level > 1) {
                    entry &= ADDRESS_MASK;
                }
            }
            return (entry & ADDRESS_MASK) | (linear & 0xfff);
        }
        if ((sregs.cr4() & CR4_PAE) != 0) {
            long pdpte = readEntry((sregs.cr3() & 0xffffffe0L) + ((linear >>> 30) & 3) * 8, linear, false, 8);
            long pde = readEntry((pdpte & ADDRESS_MASK) + ((linear >>> 21) & 0x1ff) * 8, linear, write, 8);
            if ((pde & PAGE_SIZE_BIT) != 0) {
                return (pde & ADDRESS_MASK & ~0x1fffffL) | (linear & 0x1fffff);
            }
            long pte = readEntry((pde & ADDRESS_MASK) + ((linear >>> 12) & 0x1ff) * 8, linear, write, 8);
            return (pte & ADDRESS_MASK) | (linear & 0xfff);
        }
        long pde = readEntry((sregs.cr3() & 0xfffff000L) + ((linear >>> 22) & 0x3ff) * 4, linear, write, 4);
        if ((pde & PAGE_SIZE_BIT) != 0 && (sregs.cr4() & CR4_PSE) != 0) {
            long high = (pde >>> 13 & 0xff) << 32;    // PSE-36 bits 39:32
            return high | (pde & 0xffc00000L) | (linear & 0x3fffff);
        }
        long pte = readEntry((pde & 0xfffff000L) + ((linear >>> 12) & 0x3ff) * 4, linear, write, 4);
        return (pte & 0xfffff000L) | (linear & 0xfff);
    }

    private long readEntry(long gpa, long linear, boolean write, int size) throws AssistException {
        byte[] b = new byte[size];
        memory.read(gpa, b, 0, size);
        long e = 0;
        for (int i = size - 1; i >= 0; i--) {
            e = e << 8 | (b[i] & 0xff);
        }
        if ((e & PRESENT) == 0) {
            throw new AssistException(String.format("page fault: linear 0x%x not present", linear));
        }
        if (write && (e & WRITABLE) == 0) {
            throw new AssistException(String.format("page fault: linear 0x%x not writable", linear));
        }
        return e;
    }
}
