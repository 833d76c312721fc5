package dev.vmm.firmware.linux;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Identity-mapped page tables for the 64-bit entry: one PML4, one PDPT and four page directories of
 * 2 MiB pages, mapping the first 4 GiB. The protocol asks for the kernel, the zero page and the command
 * line; the whole 4 GiB costs four more pages and leaves the initrd and ACPI tables mapped too.
 */
public final class BootPageTables {
    public static final long SIZE = 6 * 4096;
    private static final long PAGE = 4096;
    private static final long PRESENT_WRITABLE = 0x3;
    private static final long PAGE_SIZE_2M = 0x80;
    private static final int DIRECTORIES = 4;

    private BootPageTables() {}

    /** The tables for address {@code base} (4 KiB aligned); CR3 is {@code base}. */
    public static byte[] build(long base) {
        if ((base & (PAGE - 1)) != 0) {
            throw new IllegalArgumentException("page tables at 0x" + Long.toHexString(base) + " are not page aligned");
        }
        ByteBuffer t = ByteBuffer.allocate((int) SIZE).order(ByteOrder.LITTLE_ENDIAN);
        long pdpt = base + PAGE;
        t.putLong(0, pdpt | PRESENT_WRITABLE);
        for (int d = 0; d < DIRECTORIES; d++) {
            long pd = base + (2 + d) * PAGE;
            t.putLong((int) PAGE + d * 8, pd | PRESENT_WRITABLE);
            for (int e = 0; e < 512; e++) {
                long address = ((long) d << 30) + ((long) e << 21);
                t.putLong((int) ((2 + d) * PAGE) + e * 8, address | PRESENT_WRITABLE | PAGE_SIZE_2M);
            }
        }
        return t.array();
    }
}
