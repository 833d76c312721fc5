package dev.vmm.sev.idblock;

import java.math.BigInteger;

/**
 * Unsigned integers as AMD's firmware structures hold them: little-endian, zero-padded to a fixed
 * field size (72 bytes for the ECDSA components, room for P-521 although SNP uses P-384).
 */
final class LittleEndianInt {
    private LittleEndianInt() {}

    static BigInteger read(byte[] bytes, int offset, int length) {
        byte[] be = new byte[length];
        for (int i = 0; i < length; i++) {
            be[i] = bytes[offset + length - 1 - i];
        }
        return new BigInteger(1, be);
    }

    /** Writes {@code value} (non-negative, at most {@code length} bytes) at {@code offset}. */
    static void write(BigInteger value, byte[] into, int offset, int length) {
        byte[] be = value.toByteArray();   // big-endian, maybe with a leading sign byte
        int significant = be.length - (be.length > 1 && be[0] == 0 ? 1 : 0);
        if (value.signum() < 0 || significant > length) {
            throw new IllegalArgumentException("0x" + value.toString(16) + " does not fit " + length + " bytes");
        }
        for (int i = 0; i < significant; i++) {
            into[offset + i] = be[be.length - 1 - i];
        }
    }
}
