package dev.vmm.firmware.ovmf;

/** Where OVMF expects the SEV hashes table (footer entry {@code 7255371f-...}); it lies within one 4 KiB page. */
public record SevHashesTableLocation(long gpa, long size) {
    /** The guest-physical address of the page holding the table. */
    public long pageGpa() {
        return gpa & ~(SevHashTable.PAGE_SIZE - 1L);
    }

    public int offsetInPage() {
        return (int) (gpa & (SevHashTable.PAGE_SIZE - 1));
    }
}
