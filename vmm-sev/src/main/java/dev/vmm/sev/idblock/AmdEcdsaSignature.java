package dev.vmm.sev.idblock;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;

/**
 * An ECDSA P-384/SHA-384 signature in the SEV firmware's format (SNP ABI "ECDSA Signature Format",
 * 0x200 bytes): R and S as 72-byte little-endian integers, then 0x170 reserved zero bytes. The ID
 * block signature, the ID key signature and the attestation report's signature all have this form.
 * Any 144 bytes parse; whether r and s are a valid signature is for {@link #verify} to say.
 */
public record AmdEcdsaSignature(BigInteger r, BigInteger s) {
    public static final int SIZE = 0x200;
    static final int COMPONENT_SIZE = 72;
    private static final String ALGORITHM = "SHA384withECDSAinP1363Format";

    public AmdEcdsaSignature {
        if (r.signum() < 0 || s.signum() < 0 || r.bitLength() > COMPONENT_SIZE * 8 || s.bitLength() > COMPONENT_SIZE * 8) {
            throw new IllegalArgumentException("r and s must be unsigned and fit 72 bytes");
        }
    }

    /** Signs SHA-384 of {@code message} (randomised ECDSA, so two signatures of one message differ). */
    public static AmdEcdsaSignature sign(PrivateKey key, byte[] message) {
        try {
            Signature ecdsa = Signature.getInstance(ALGORITHM);
            ecdsa.initSign(key);
            ecdsa.update(message);
            byte[] p1363 = ecdsa.sign();   // r || s, big-endian, each the size of the order
            int half = p1363.length / 2;
            return new AmdEcdsaSignature(new BigInteger(1, Arrays.copyOfRange(p1363, 0, half)),
                    new BigInteger(1, Arrays.copyOfRange(p1363, half, p1363.length)));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot sign with this key: " + e.getMessage(), e);
        }
    }

    public static AmdEcdsaSignature parse(byte[] bytes, int offset) {
        return new AmdEcdsaSignature(LittleEndianInt.read(bytes, offset, COMPONENT_SIZE),
                LittleEndianInt.read(bytes, offset + COMPONENT_SIZE, COMPONENT_SIZE));
    }

    public byte[] toBytes() {
        byte[] b = new byte[SIZE];
        LittleEndianInt.write(r, b, 0, COMPONENT_SIZE);
        LittleEndianInt.write(s, b, COMPONENT_SIZE, COMPONENT_SIZE);
        return b;
    }

    /** Whether this is {@code key}'s signature of SHA-384 over {@code message}. */
    public boolean verify(ECPublicKey key, byte[] message) {
        if (!inRange(r) || !inRange(s)) {
            return false;
        }
        byte[] p1363 = new byte[2 * P384.SIZE];
        fixed(r, p1363, 0);
        fixed(s, p1363, P384.SIZE);
        try {
            Signature ecdsa = Signature.getInstance(ALGORITHM);
            ecdsa.initVerify(key);
            ecdsa.update(message);
            return ecdsa.verify(p1363);
        } catch (SignatureException e) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot verify with this key: " + e.getMessage(), e);
        }
    }

    private static boolean inRange(BigInteger v) {
        return v.signum() > 0 && v.compareTo(P384.N) < 0;
    }

    /** {@code v} (below n) as 48 big-endian bytes at {@code offset}. */
    private static void fixed(BigInteger v, byte[] into, int offset) {
        byte[] be = v.toByteArray();
        int skip = be.length > P384.SIZE ? be.length - P384.SIZE : 0;
        System.arraycopy(be, skip, into, offset + P384.SIZE - (be.length - skip), be.length - skip);
    }
}
