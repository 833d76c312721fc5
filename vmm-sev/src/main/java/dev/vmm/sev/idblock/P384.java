package dev.vmm.sev.idblock;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;

/**
 * NIST P-384 (secp384r1), the only curve of the SEV-SNP ID and author keys, with its parameters taken
 * from the JDK. Adds what the JCA lacks: the on-curve test for a public key read from bytes, and the
 * public point of a private scalar (a key file need not carry it; JDK-written PKCS#8 does not).
 */
public final class P384 {
    /** Bytes of a coordinate or scalar. */
    public static final int SIZE = 48;
    public static final ECParameterSpec PARAMS = params();
    public static final BigInteger P = ((ECFieldFp) PARAMS.getCurve().getField()).getP();
    public static final BigInteger N = PARAMS.getOrder();
    private static final BigInteger A = PARAMS.getCurve().getA();
    private static final BigInteger B = PARAMS.getCurve().getB();

    private P384() {}

    /** Whether (x, y) is a point of the curve (not the point at infinity, which has no affine form). */
    public static boolean isOnCurve(BigInteger x, BigInteger y) {
        if (x.signum() < 0 || y.signum() < 0 || x.compareTo(P) >= 0 || y.compareTo(P) >= 0) {
            return false;
        }
        BigInteger left = y.multiply(y).mod(P);
        BigInteger right = x.pow(3).add(A.multiply(x)).add(B).mod(P);
        return left.equals(right);
    }

    /**
     * d·G, by double-and-add in affine coordinates. Not constant-time: it derives the public half of
     * a key the user already holds in a file, once, in a short-lived command.
     */
    public static ECPoint publicPoint(BigInteger d) {
        if (d.signum() <= 0 || d.compareTo(N) >= 0) {
            throw new IllegalArgumentException("private scalar out of range [1, n)");
        }
        ECPoint g = PARAMS.getGenerator();
        BigInteger[] result = null;
        BigInteger[] addend = {g.getAffineX(), g.getAffineY()};
        for (int i = 0; i < d.bitLength(); i++) {
            if (d.testBit(i)) {
                result = add(result, addend);
            }
            addend = add(addend, addend);
        }
        return new ECPoint(result[0], result[1]);
    }

    /** Point addition; null is the point at infinity. */
    private static BigInteger[] add(BigInteger[] p1, BigInteger[] p2) {
        if (p1 == null) {
            return p2;
        }
        if (p2 == null) {
            return p1;
        }
        BigInteger lambda;
        if (p1[0].equals(p2[0])) {
            if (!p1[1].equals(p2[1]) || p1[1].signum() == 0) {
                return null;   // P + (-P)
            }
            BigInteger three = BigInteger.valueOf(3);
            lambda = three.multiply(p1[0].pow(2)).add(A).multiply(p1[1].shiftLeft(1).modInverse(P)).mod(P);
        } else {
            lambda = p2[1].subtract(p1[1]).multiply(p2[0].subtract(p1[0]).modInverse(P)).mod(P);
        }
        BigInteger x = lambda.pow(2).subtract(p1[0]).subtract(p2[0]).mod(P);
        BigInteger y = lambda.multiply(p1[0].subtract(x)).subtract(p1[1]).mod(P);
        return new BigInteger[] {x, y};
    }

    /** A JCA public key for a point already known to be on the curve. */
    public static ECPublicKey publicKey(BigInteger x, BigInteger y) {
        try {
            return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(new ECPoint(x, y), PARAMS));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK refused a P-384 point", e);
        }
    }

    public static ECPrivateKey privateKey(BigInteger d) {
        try {
            return (ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(new ECPrivateKeySpec(d, PARAMS));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK refused a P-384 scalar", e);
        }
    }

    /** Whether a JCA key is on P-384 (compared by its parameters: providers name curves differently). */
    public static boolean isP384(ECParameterSpec spec) {
        return spec != null && spec.getCurve().equals(PARAMS.getCurve()) && spec.getOrder().equals(N)
                && spec.getGenerator().equals(PARAMS.getGenerator());
    }

    private static ECParameterSpec params() {
        try {
            AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
            p.init(new ECGenParameterSpec("secp384r1"));
            return p.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
