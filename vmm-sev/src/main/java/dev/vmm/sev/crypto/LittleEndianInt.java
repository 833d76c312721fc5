package dev.vmm.sev.crypto;

import java.math.BigInteger;
import org.bouncycastle.util.Arrays;
import org.bouncycastle.util.BigIntegers;

/**
 * Unsigned integers as AMD's firmware structures hold them: little-endian, zero-padded to a fixed
 * field size (72 bytes for the ECDSA components, room for P-521 although SEV and SNP use P-384).
 */
final class LittleEndianInt {
    private LittleEndianInt() {}

    static BigInteger read(byte[] bytes, int offset, int length) {
        return new BigInteger(1, Arrays.reverse(Arrays.copyOfRange(bytes, offset, offset + length)));
    }

    /** Writes {@code value} (non-negative, at most {@code length} bytes) at {@code offset}. */
    static void write(BigInteger value, byte[] into, int offset, int length) {
        byte[] le = Arrays.reverse(BigIntegers.asUnsignedByteArray(length, value));
        System.arraycopy(le, 0, into, offset, length);
    }
}
