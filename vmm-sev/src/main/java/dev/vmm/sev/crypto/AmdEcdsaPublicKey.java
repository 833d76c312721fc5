package dev.vmm.sev.crypto;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.ECPublicKey;
import java.util.Optional;

/**
 * An ECDSA public key in AMD's format ("ECDSA Public Key Format" of the SNP ABI, the ECC key of a SEV
 * certificate), 0x404 bytes: CURVE (u32), QX and QY as 72-byte little-endian integers, then 0x370
 * reserved zero bytes. The ID_KEY and AUTHOR_KEY of ID_AUTH_INFO have this form, and the attestation
 * report's ID_KEY_DIGEST and AUTHOR_KEY_DIGEST are SHA-384 over all 0x404 bytes of it.
 */
public record AmdEcdsaPublicKey(EcCurve curve, BigInteger qx, BigInteger qy) {
    public static final int SIZE = 0x404;
    public static final int CURVE = 0x00;
    public static final int QX = 0x04;
    public static final int QY = QX + AmdEcdsaSignature.COMPONENT_SIZE;
    private static final int COMPONENT_SIZE = AmdEcdsaSignature.COMPONENT_SIZE;

    public AmdEcdsaPublicKey {
        if (!curve.isOnCurve(qx, qy)) {
            throw new IllegalArgumentException("(qx, qy) is not a point of " + curve);
        }
    }

    /** @throws IllegalArgumentException for a key on a curve AMD's format has no CURVE value for */
    public static AmdEcdsaPublicKey of(ECPublicKey key) {
        EcCurve curve = EcCurve.of(key.getParams())
                .orElseThrow(() -> new IllegalArgumentException("the key is on neither P-256 nor P-384"));
        return new AmdEcdsaPublicKey(curve, key.getW().getAffineX(), key.getW().getAffineY());
    }

    /** The CURVE field of the structure at {@code offset} (which the caller has checked is there). */
    public static int curveId(byte[] bytes, int offset) {
        return ByteBuffer.wrap(bytes, offset + CURVE, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    }

    /**
     * QX and QY of the structure at {@code offset} read as a point of {@code curve} (whatever CURVE
     * says); empty if they are not one. Reserved bytes are not looked at (the ABI gives no rule for
     * them); {@link #digestOf} hashes the structure as received.
     */
    public static Optional<AmdEcdsaPublicKey> read(byte[] bytes, int offset, EcCurve curve) {
        BigInteger x = LittleEndianInt.read(bytes, offset + QX, COMPONENT_SIZE);
        BigInteger y = LittleEndianInt.read(bytes, offset + QY, COMPONENT_SIZE);
        return curve.isOnCurve(x, y) ? Optional.of(new AmdEcdsaPublicKey(curve, x, y)) : Optional.empty();
    }

    public byte[] toBytes() {
        byte[] b = new byte[SIZE];
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(CURVE, curve.id());
        LittleEndianInt.write(qx, b, QX, COMPONENT_SIZE);
        LittleEndianInt.write(qy, b, QY, COMPONENT_SIZE);
        return b;
    }

    public ECPublicKey toJca() {
        return curve.publicKey(qx, qy);
    }

    /** SHA-384 of the whole structure: what the attestation report calls ID_KEY_DIGEST or AUTHOR_KEY_DIGEST. */
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
}
