package dev.vmm.firmware.ovmf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * Reads the 'ASEV' metadata (edk2 {@code OvmfPkg/ResetVector/X64/OvmfSevMetadata.asm}): a 16-byte header
 * {'ASEV', u32 length, u32 version, u32 count} followed by {@code count} descriptors {u32 gpa, u32 size,
 * u32 type}. The footer entry gives its offset from the end of the image. Sections are checked so that a
 * launch can hand each one to the PSP as whole pages without further care.
 */
final class SevMetadata {
    static final int HEADER = 16;
    static final int DESCRIPTOR = 12;
    private static final byte[] SIGNATURE = "ASEV".getBytes(StandardCharsets.US_ASCII);
    private static final long PAGE = 4096;
    private static final long FOUR_GIB = 1L << 32;

    private SevMetadata() {}

    static List<MetadataSection> read(ImageReader image, FooterEntry entry) {
        byte[] data = entry.data();
        if (data.length < 4) {
            throw image.error(entry.offset(), "SEV metadata offset",
                    "the entry has " + data.length + " bytes of data, the offset needs 4");
        }
        long fromEnd = image.u32(entry.offset(), "SEV metadata offset");
        int size = image.size();
        if (fromEnd > size) {
            throw image.error(entry.offset(), "SEV metadata offset", "0x" + Long.toHexString(fromEnd)
                    + " bytes from the end reaches before the start of the image of 0x" + Integer.toHexString(size) + " bytes");
        }
        if (fromEnd < HEADER) {
            throw image.error(entry.offset(), "SEV metadata offset", "0x" + Long.toHexString(fromEnd)
                    + " bytes from the end leaves no room for the " + HEADER + "-byte ASEV header");
        }
        long at = size - fromEnd;
        byte[] signature = image.slice(at, SIGNATURE.length, "ASEV signature");
        if (!Arrays.equals(signature, SIGNATURE)) {
            throw image.error(at, "ASEV signature", "found " + HexFormat.ofDelimiter(" ").formatHex(signature)
                    + ", expected 'ASEV' (41 53 45 56)");
        }
        long length = image.u32(at + 4, "ASEV length");
        // The version (at + 8, 1 in every edk2 so far) is not checked, as QEMU does not check it.
        long count = image.u32(at + 12, "ASEV section count");
        long needed = HEADER + DESCRIPTOR * count;
        if (length < HEADER) {
            throw image.error(at + 4, "ASEV length", length + " is less than the " + HEADER + "-byte header");
        }
        if (length < needed) {
            throw image.error(at + 12, "ASEV section count", count + " sections need " + needed
                    + " bytes but the ASEV length is " + length);
        }
        if (length > fromEnd) {
            throw image.error(at + 4, "ASEV length", length + " bytes run past the end of the image ("
                    + fromEnd + " bytes left)");
        }
        List<MetadataSection> sections = new ArrayList<>();
        List<Long> offsets = new ArrayList<>();
        for (long i = 0; i < count; i++) {
            long d = at + HEADER + DESCRIPTOR * i;
            sections.add(section(image, d));
            offsets.add(d);
        }
        checkNoOverlap(image, sections, offsets);
        return List.copyOf(sections);
    }

    private static MetadataSection section(ImageReader image, long d) {
        long gpa = image.u32(d, "ASEV section gpa");
        long size = image.u32(d + 4, "ASEV section size");
        SectionType type = SectionType.of((int) image.u32(d + 8, "ASEV section type"), d + 8, image.source());
        String what = type + " section at gpa 0x" + Long.toHexString(gpa);
        if (size == 0) {
            throw image.error(d + 4, "ASEV section size", what + " has size 0");
        }
        if (gpa % PAGE != 0) {
            throw image.error(d, "ASEV section gpa", what + " is not 4 KiB aligned");
        }
        if (size % PAGE != 0) {
            throw image.error(d + 4, "ASEV section size", what + ": size 0x" + Long.toHexString(size)
                    + " is not a multiple of 4 KiB");
        }
        if (gpa + size > FOUR_GIB) {
            throw image.error(d + 4, "ASEV section size", what + ": size 0x" + Long.toHexString(size)
                    + " ends above 4 GiB");
        }
        return new MetadataSection(gpa, size, type);
    }

    private static void checkNoOverlap(ImageReader image, List<MetadataSection> sections, List<Long> offsets) {
        Integer[] order = new Integer[sections.size()];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, Comparator.comparingLong(i -> sections.get(i).gpa()));
        for (int k = 1; k < order.length; k++) {
            int lower = order[k - 1];
            int upper = order[k];
            if (sections.get(upper).gpa() < sections.get(lower).end()) {
                // Blame the descriptor that comes later in the table; name the other one.
                int blamed = Math.max(lower, upper);
                int other = Math.min(lower, upper);
                throw image.error(offsets.get(blamed), "ASEV section gpa", sections.get(blamed) + " overlaps "
                        + sections.get(other) + " described at offset 0x" + Long.toHexString(offsets.get(other)));
            }
        }
    }
}
