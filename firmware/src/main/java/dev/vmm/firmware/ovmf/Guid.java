package dev.vmm.firmware.ovmf;

import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * An EFI GUID. Firmware stores GUIDs in EFI byte order ({@code uuid.bytes_le}): the first three
 * fields little-endian, the last eight bytes as written. The canonical text form is big-endian.
 */
public record Guid(long mostSigBits, long leastSigBits) {
    public static final int BYTES = 16;
    private static final Pattern CANONICAL =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    /** Parses the canonical form, for example {@code 96b582de-1fb2-45f7-baea-a366c55a082d}. */
    public static Guid parse(String text) {
        Objects.requireNonNull(text, "text");
        if (!CANONICAL.matcher(text).matches()) {
            throw new IllegalArgumentException("not a GUID in canonical form: " + text);
        }
        UUID u = UUID.fromString(text);
        return new Guid(u.getMostSignificantBits(), u.getLeastSignificantBits());
    }

    /** Reads 16 bytes in EFI byte order at {@code off}. */
    public static Guid fromBytesLe(byte[] bytes, int off) {
        Objects.checkFromIndexSize(off, BYTES, bytes.length);
        long timeLow = le(bytes, off, 4);
        long timeMid = le(bytes, off + 4, 2);
        long timeHi = le(bytes, off + 6, 2);
        long msb = timeLow << 32 | timeMid << 16 | timeHi;
        long lsb = 0;
        for (int i = 8; i < BYTES; i++) {
            lsb = lsb << 8 | (bytes[off + i] & 0xff);
        }
        return new Guid(msb, lsb);
    }

    /** The 16 bytes in EFI byte order, as firmware stores them. */
    public byte[] bytesLe() {
        byte[] b = new byte[BYTES];
        putLe(b, 0, mostSigBits >>> 32, 4);
        putLe(b, 4, mostSigBits >>> 16, 2);
        putLe(b, 6, mostSigBits, 2);
        for (int i = 0; i < 8; i++) {
            b[8 + i] = (byte) (leastSigBits >>> (56 - 8 * i));
        }
        return b;
    }

    /** Lower-case canonical form. */
    @Override
    public String toString() {
        return new UUID(mostSigBits, leastSigBits).toString();
    }

    private static long le(byte[] b, int off, int n) {
        long v = 0;
        for (int i = n - 1; i >= 0; i--) {
            v = v << 8 | (b[off + i] & 0xff);
        }
        return v;
    }

    private static void putLe(byte[] b, int off, long v, int n) {
        for (int i = 0; i < n; i++) {
            b[off + i] = (byte) (v >>> (8 * i));
        }
    }
}
