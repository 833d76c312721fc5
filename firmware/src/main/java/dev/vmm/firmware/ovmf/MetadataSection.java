package dev.vmm.firmware.ovmf;

/** One 'ASEV' metadata section: guest RAM the VMM must prepare before an SEV-SNP launch. */
public record MetadataSection(long gpa, long size, SectionType type) {
    /** The first address after the section. */
    public long end() {
        return gpa + size;
    }

    @Override
    public String toString() {
        return type + " 0x" + Long.toHexString(gpa) + "+0x" + Long.toHexString(size);
    }
}
