package dev.vmm.sev.attest;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;

/**
 * An ECDSA P-384 signature in AMD's format: R and S as 72-byte little-endian unsigned integers of which
 * only the low 48 bytes may be non-zero.
 */
public record EcdsaSignature(BigInteger r, BigInteger s) {
    static final int P384_BYTES = 48;

    public EcdsaSignature {
        if (r.signum() < 0 || s.signum() < 0 || r.bitLength() > 8 * P384_BYTES || s.bitLength() > 8 * P384_BYTES) {
            throw new IllegalArgumentException("r and s of a P-384 signature are 0 .. 2^384 - 1");
        }
    }

    static EcdsaSignature decode(ReportBytes bytes, int rOffset, int sOffset) {
        return new EcdsaSignature(component(bytes, rOffset, "SIGNATURE.R"), component(bytes, sOffset, "SIGNATURE.S"));
    }

    private static BigInteger component(ReportBytes bytes, int offset, String field) {
        // A P-384 value has 48 bytes; the upper 24 of the 72-byte field are padding.
        int padding = offset + P384_BYTES;
        for (int i = padding; i < offset + ReportLayout.SIGNATURE_COMPONENT; i++) {
            if (bytes.u8(i) != 0) {
                throw bytes.error(i, field, String.format(
                        "bytes 48..71 of a P-384 signature component must be zero, but byte 0x%x is 0x%02x", i, bytes.u8(i)));
            }
        }
        byte[] be = new byte[P384_BYTES];
        for (int i = 0; i < P384_BYTES; i++) {
            be[i] = (byte) bytes.u8(offset + P384_BYTES - 1 - i);
        }
        return new BigInteger(1, be);
    }

    /** From the IEEE P1363 form (r then s, 48 bytes each, big-endian) that the JDK's ...inP1363Format signers produce. */
    public static EcdsaSignature fromP1363(byte[] rs) {
        if (rs.length != 2 * P384_BYTES) {
            throw new IllegalArgumentException("a P-384 P1363 signature has 96 bytes, not " + rs.length);
        }
        return new EcdsaSignature(new BigInteger(1, java.util.Arrays.copyOf(rs, P384_BYTES)),
                new BigInteger(1, java.util.Arrays.copyOfRange(rs, P384_BYTES, rs.length)));
    }

    /** R then S as AMD stores them: each 72 bytes, little-endian, zero-padded (144 bytes). */
    public byte[] amdFormat() {
        byte[] out = new byte[2 * ReportLayout.SIGNATURE_COMPONENT];
        byte[] p = p1363();
        for (int i = 0; i < P384_BYTES; i++) {
            out[i] = p[P384_BYTES - 1 - i];
            out[ReportLayout.SIGNATURE_COMPONENT + i] = p[2 * P384_BYTES - 1 - i];
        }
        return out;
    }

    /** True for an unsigned report (MASK_CHIP_KEY set or SIGNING_KEY = NONE): the firmware wrote zeros. */
    public boolean isZero() {
        return r.signum() == 0 && s.signum() == 0;
    }

    /** r then s, each 48 bytes big-endian: the IEEE P1363 form the JDK's ...inP1363Format algorithms take. */
    public byte[] p1363() {
        byte[] out = new byte[2 * P384_BYTES];
        put(r, out, 0);
        put(s, out, P384_BYTES);
        return out;
    }

    private static void put(BigInteger v, byte[] out, int at) {
        byte[] be = v.toByteArray();
        int n = Math.min(be.length, P384_BYTES);
        System.arraycopy(be, be.length - n, out, at + P384_BYTES - n, n);
    }

    /** ECDSA with SHA-384 over {@code message[offset, offset + length)}; false if it does not verify. */
    public boolean verifies(PublicKey key, byte[] message, int offset, int length) throws GeneralSecurityException {
        Signature v = Signature.getInstance("SHA384withECDSAinP1363Format");
        v.initVerify(key);
        v.update(message, offset, length);
        return v.verify(p1363());
    }
}
