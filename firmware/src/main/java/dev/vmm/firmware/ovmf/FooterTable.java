package dev.vmm.firmware.ovmf;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Walks the OVMF footer GUID table (edk2 {@code ResetVectorVtf0.asm}, read the same way by QEMU's
 * {@code pc_system_parse_ovmf_flash}). The last 32 bytes of the image are reset-vector code; below them
 * sit the footer GUID and, before it, the u16 length of the whole table including that 18-byte footer.
 * Entries are laid out as {@code data, u16 size, GUID} and read backwards from the footer, where
 * {@code size} counts the data, itself and the GUID.
 */
final class FooterTable {
    /** u16 size + GUID that end every entry, the footer included. */
    static final int ENTRY_TRAILER = 2 + Guid.BYTES;
    /** The footer GUID starts this many bytes before the end of the image. */
    static final int FOOTER_GUID_FROM_END = 48;
    /** The table length field starts this many bytes before the end of the image. */
    static final int LENGTH_FROM_END = FOOTER_GUID_FROM_END + 2;

    private FooterTable() {}

    /** The entries in the order the walk meets them (from the footer down), or empty for an image without a table. */
    static Optional<List<FooterEntry>> read(ImageReader image) {
        int size = image.size();
        if (size < LENGTH_FROM_END) {
            throw image.error(0, "footer GUID", "the image of " + size + " bytes is shorter than the "
                    + LENGTH_FROM_END + " bytes the footer table ends with");
        }
        if (!OvmfGuids.TABLE_FOOTER.equals(image.guid(size - FOOTER_GUID_FROM_END, "footer GUID"))) {
            return Optional.empty();
        }
        long lengthAt = size - LENGTH_FROM_END;
        int length = image.u16(lengthAt, "footer table length");
        if (length < ENTRY_TRAILER) {
            throw image.error(lengthAt, "footer table length", length
                    + " is less than the " + ENTRY_TRAILER + " bytes of the footer entry itself");
        }
        long start = lengthAt - (length - ENTRY_TRAILER);
        if (start < 0) {
            throw image.error(lengthAt, "footer table length", length + " bytes reach 0x"
                    + Long.toHexString(-start) + " bytes before the start of the image");
        }
        List<FooterEntry> entries = new ArrayList<>();
        long end = lengthAt;
        while (end - start >= ENTRY_TRAILER) {
            long sizeAt = end - ENTRY_TRAILER;
            int entrySize = image.u16(sizeAt, "footer entry size");
            Guid guid = image.guid(end - Guid.BYTES, "footer entry GUID");
            if (entrySize < ENTRY_TRAILER) {
                throw image.error(sizeAt, "footer entry size", "entry " + guid + ": size " + entrySize
                        + " is less than the " + ENTRY_TRAILER + " bytes of its size and GUID");
            }
            if (entrySize > end - start) {
                throw image.error(sizeAt, "footer entry size", "entry " + guid + ": size " + entrySize
                        + " is larger than the " + (end - start) + " table bytes left");
            }
            long dataAt = end - entrySize;
            entries.add(new FooterEntry(guid, dataAt, image.slice(dataAt, entrySize - ENTRY_TRAILER, "footer entry data")));
            end = dataAt;
        }
        return Optional.of(List.copyOf(entries));
    }
}
