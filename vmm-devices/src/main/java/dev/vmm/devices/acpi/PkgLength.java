package dev.vmm.devices.acpi;

/**
 * AML PkgLength (ACPI 6.0 §20.2.4): the length of a package, counting the PkgLength bytes themselves,
 * in 1 to 4 bytes. One byte holds values up to 63 in bits 0-5. Longer forms put the byte count minus
 * one in bits 6-7 of the lead byte, the low nibble in bits 0-3, and 8 more bits in each following
 * byte, so 2, 3 and 4 bytes reach 2^12-1, 2^20-1 and 2^28-1.
 */
final class PkgLength {
    static final int MAX = (1 << 28) - 1;

    private PkgLength() {}

    /** The encoding of {@code value}, the whole package length including these bytes. */
    static byte[] encode(int value) {
        int count = byteCount(value);
        byte[] out = new byte[count];
        if (count == 1) {
            out[0] = (byte) value;
            return out;
        }
        out[0] = (byte) ((count - 1) << 6 | value & 0x0f);
        for (int i = 1; i < count; i++) {
            out[i] = (byte) (value >>> (4 + 8 * (i - 1)));
        }
        return out;
    }

    /** The smallest encoding able to hold {@code value}. */
    static int byteCount(int value) {
        if (value < 0 || value > MAX) {
            throw new IllegalArgumentException("AML package length out of range: " + value);
        }
        if (value < 1 << 6) {
            return 1;
        }
        if (value < 1 << 12) {
            return 2;
        }
        return value < 1 << 20 ? 3 : 4;
    }

    /**
     * {@code content} prefixed with its PkgLength. The length counts itself: 62 bytes of content take
     * one byte (63), but 63 bytes of content would make 64, so they take two (65).
     */
    static byte[] wrap(byte[] content) {
        int count = 1;
        while (byteCount(content.length + count) > count) {
            count++;
        }
        return Bytes.concat(encode(content.length + count), content);
    }
}
