package dev.vmm.sev.idblock;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.ECPublicKey;

/**
 * An ECDSA public key in the SEV firmware's format (SNP ABI "ECDSA Public Key Format", 0x404 bytes):
 * CURVE (u32, 2 = P-384), QX and QY as 72-byte little-endian integers, then 0x370 reserved zero bytes.
 * The ID_KEY and AUTHOR_KEY of the ID authentication structure have this form, and the attestation
 * report's ID_KEY_DIGEST and AUTHOR_KEY_DIGEST are SHA-384 over all 0x404 bytes of it.
 */
public record AmdEcdsaPublicKey(BigInteger qx, BigInteger qy) {
    public static final int SIZE = 0x404;
    /** The CURVE value of P-384 ("ECDSA curve definitions"; 1 would be P-256, not used by SNP). */
    public static final int CURVE_P384 = 2;
    static final int COMPONENT_SIZE = 72;
    static final int QX = 0x04;
    static final int QY = QX + COMPONENT_SIZE;

    public AmdEcdsaPublicKey {
        if (!P384.isOnCurve(qx, qy)) {
            throw new IllegalArgumentException("(qx, qy) is not a point of P-384");
        }
    }

    public static AmdEcdsaPublicKey of(ECPublicKey key) {
        if (!P384.isP384(key.getParams())) {
            throw new IllegalArgumentException("the key is not on P-384");
        }
        return new AmdEcdsaPublicKey(key.getW().getAffineX(), key.getW().getAffineY());
    }

    /**
     * Reads the structure at {@code offset}; {@code where} names it (e.g. "ID_AUTH_INFO.ID_KEY at 0x240")
     * in the error. Reserved bytes are not looked at (the ABI gives no rule for them); a digest of the
     * structure as received is {@link #digestOf}.
     */
    public static AmdEcdsaPublicKey parse(byte[] bytes, int offset, String where) {
        if (offset < 0 || bytes.length - offset < SIZE) {
            throw new IdBlockException(IdBlockException.Problem.INVALID, where + ": " + SIZE + " bytes needed, "
                    + Math.max(0, bytes.length - offset) + " there");
        }
        int curve = ByteBuffer.wrap(bytes, offset, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        if (curve != CURVE_P384) {
            throw new IdBlockException(IdBlockException.Problem.INVALID, String.format(
                    "%s: CURVE (offset 0x%x) is %d, not %d (P-384)", where, offset, Integer.toUnsignedLong(curve), CURVE_P384));
        }
        BigInteger x = LittleEndianInt.read(bytes, offset + QX, COMPONENT_SIZE);
        BigInteger y = LittleEndianInt.read(bytes, offset + QY, COMPONENT_SIZE);
        if (!P384.isOnCurve(x, y)) {
            throw new IdBlockException(IdBlockException.Problem.INVALID, String.format(
                    "%s: QX, QY (offsets 0x%x, 0x%x) are not a point of P-384", where, offset + QX, offset + QY));
        }
        return new AmdEcdsaPublicKey(x, y);
    }

    public byte[] toBytes() {
        byte[] b = new byte[SIZE];
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(0, CURVE_P384);
        LittleEndianInt.write(qx, b, QX, COMPONENT_SIZE);
        LittleEndianInt.write(qy, b, QY, COMPONENT_SIZE);
        return b;
    }

    /** SHA-384 of the whole structure: what the report calls ID_KEY_DIGEST or AUTHOR_KEY_DIGEST. */
    public byte[] digest() {
        return digestOf(toBytes(), 0);
    }

    /** SHA-384 of the {@link #SIZE} bytes at {@code offset}, reserved bytes included, as the firmware hashes them. */
    public static byte[] digestOf(byte[] bytes, int offset) {
        try {
            MessageDigest sha384 = MessageDigest.getInstance("SHA-384");
            sha384.update(bytes, offset, SIZE);
            return sha384.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public ECPublicKey toJca() {
        return P384.publicKey(qx, qy);
    }
}
