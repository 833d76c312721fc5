package dev.vmm.firmware.ovmf;

/**
 * Types of the 'ASEV' metadata sections. Values from edk2
 * {@code OvmfPkg/ResetVector/X64/OvmfSevMetadata.asm} ({@code OVMF_SECTION_TYPE_*}); QEMU mirrors them
 * in {@code include/hw/i386/pc.h} ({@code ovmf_sev_metadata_desc_type}). SVSM_CAA first appears in
 * edk2-stable202405, SNP_KERNEL_HASHES in edk2-stable202402.
 */
public enum SectionType {
    /** Memory the VMM pre-validates before boot (SNP: a ZERO page). */
    SNP_SEC_MEM(1),
    /** The SNP secrets page, filled by the PSP. */
    SNP_SECRETS(2),
    /** The SNP CPUID page, filled by the VMM and checked by the PSP. */
    CPUID(3),
    /** The SVSM calling area page. */
    SVSM_CAA(4),
    /** The page holding the launch secret and the SEV hashes table (measured direct boot). */
    SNP_KERNEL_HASHES(0x10);

    private final int value;

    SectionType(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }

    /** The type with this value; an unknown value fails naming it and the offset it was read from. */
    public static SectionType of(int value, long offsetForError, String source) {
        for (SectionType t : values()) {
            if (t.value == value) {
                return t;
            }
        }
        throw new OvmfParseException(source, offsetForError, "ASEV section type",
                "unknown type 0x" + Integer.toHexString(value) + " (known: 0x1 SNP_SEC_MEM, 0x2 SNP_SECRETS, 0x3 CPUID, "
                        + "0x4 SVSM_CAA, 0x10 SNP_KERNEL_HASHES)");
    }
}
