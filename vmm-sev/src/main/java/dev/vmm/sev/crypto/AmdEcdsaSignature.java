package dev.vmm.sev.crypto;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import org.bouncycastle.util.BigIntegers;

/**
 * An ECDSA signature in AMD's format ("ECDSA Signature Format" of the SNP ABI, the signature of a SEV
 * certificate): R and S as 72-byte little-endian integers, then reserved zero bytes to 0x200. The
 * attestation report's signature, the ID block and ID key signatures and the SEV certificate
 * signatures all have this form. Any 144 bytes parse; whether r and s are a signature is for
 * {@link #verifies} to say.
 */
public record AmdEcdsaSignature(BigInteger r, BigInteger s) {
    public static final int SIZE = 0x200;
    /**
     * ECDSA P-384 with SHA-384 in the SNP ABI's "Signature Algorithms" table, the only algorithm it
     * defines: the report's SIGNATURE_ALGO and ID_AUTH_INFO's ID_KEY_ALGO and AUTH_KEY_ALGO.
     */
    public static final int SNP_ECDSA_P384_SHA384 = 1;
    /** Bytes of R and of S; a P-384 value fills the low 48. */
    public static final int COMPONENT_SIZE = 72;
    /** Where S starts. */
    public static final int S = COMPONENT_SIZE;

    public AmdEcdsaSignature {
        if (r.signum() < 0 || s.signum() < 0 || r.bitLength() > COMPONENT_SIZE * 8 || s.bitLength() > COMPONENT_SIZE * 8) {
            throw new IllegalArgumentException("r and s must be unsigned and fit 72 bytes");
        }
    }

    /** R and S at {@code offset}; the reserved bytes after them are not looked at. */
    public static AmdEcdsaSignature parse(byte[] bytes, int offset) {
        return new AmdEcdsaSignature(LittleEndianInt.read(bytes, offset, COMPONENT_SIZE),
                LittleEndianInt.read(bytes, offset + S, COMPONENT_SIZE));
    }

    /** From the IEEE P1363 form (r then s, big-endian, equal halves) that the JDK's ...inP1363Format signers produce. */
    public static AmdEcdsaSignature fromP1363(byte[] rs) {
        if (rs.length == 0 || rs.length % 2 != 0) {
            throw new IllegalArgumentException("a P1363 signature has two equal halves, not " + rs.length + " bytes");
        }
        int half = rs.length / 2;
        return new AmdEcdsaSignature(new BigInteger(1, Arrays.copyOfRange(rs, 0, half)),
                new BigInteger(1, Arrays.copyOfRange(rs, half, rs.length)));
    }

    /** ECDSA over {@code message[offset, offset + length)} with {@code digest} (randomised: two signatures of one message differ). */
    public static AmdEcdsaSignature sign(PrivateKey key, EcdsaDigest digest, byte[] message, int offset, int length)
            throws InvalidKeyException {
        try {
            Signature ecdsa = Signature.getInstance(digest.jcaAlgorithm());
            ecdsa.initSign(key);
            ecdsa.update(message, offset, length);
            return fromP1363(ecdsa.sign());
        } catch (InvalidKeyException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot sign with " + digest.jcaAlgorithm(), e);
        }
    }

    /** The {@link #SIZE} bytes AMD stores: R, S, then zeros. */
    public byte[] toBytes() {
        byte[] b = new byte[SIZE];
        LittleEndianInt.write(r, b, 0, COMPONENT_SIZE);
        LittleEndianInt.write(s, b, S, COMPONENT_SIZE);
        return b;
    }

    /** r then s, each {@code size} bytes big-endian: the IEEE P1363 form of a curve whose order has {@code size} bytes. */
    public byte[] p1363(int size) {
        byte[] out = new byte[2 * size];
        BigIntegers.asUnsignedByteArray(r, out, 0, size);
        BigIntegers.asUnsignedByteArray(s, out, size, size);
        return out;
    }

    /** True for an unsigned attestation report (MASK_CHIP_KEY set or SIGNING_KEY = NONE): the firmware wrote zeros. */
    public boolean isZero() {
        return r.signum() == 0 && s.signum() == 0;
    }

    /**
     * Whether this is {@code key}'s signature with {@code digest} over {@code message[offset, offset + length)}.
     * False, not an error, for r or s outside [1, n) (a padding byte set, say).
     *
     * @throws InvalidKeyException if the JDK cannot use the key
     */
    public boolean verifies(ECPublicKey key, EcdsaDigest digest, byte[] message, int offset, int length)
            throws InvalidKeyException {
        BigInteger n = key.getParams().getOrder();
        if (!inRange(r, n) || !inRange(s, n)) {
            return false;
        }
        try {
            Signature ecdsa = Signature.getInstance(digest.jcaAlgorithm());
            ecdsa.initVerify(key);
            ecdsa.update(message, offset, length);
            return ecdsa.verify(p1363((n.bitLength() + 7) / 8));
        } catch (SignatureException e) {
            return false;
        } catch (InvalidKeyException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK cannot verify " + digest.jcaAlgorithm(), e);
        }
    }

    private static boolean inRange(BigInteger v, BigInteger n) {
        return v.signum() > 0 && v.compareTo(n) < 0;
    }
}
