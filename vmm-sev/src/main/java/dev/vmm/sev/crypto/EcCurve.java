package dev.vmm.sev.crypto;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.util.Optional;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.math.ec.ECCurve;

/**
 * The elliptic curves of AMD's key formats ("ECDSA curve definitions" of the SEV and SNP ABIs): P-256
 * (1), used only by some SEV certificates, and P-384 (2), the curve of every SNP key. JCA keys use the
 * JDK's parameters; the arithmetic the JCA lacks (point validation, d·G) is BouncyCastle's.
 */
public enum EcCurve {
    P256(1, "secp256r1", "P-256"),
    P384(2, "secp384r1", "P-384");

    private final int id;
    private final String name;
    private final X9ECParameters bc;
    private final ECParameterSpec jca;

    EcCurve(int id, String stdName, String name) {
        this.id = id;
        this.name = name;
        this.bc = ECNamedCurveTable.getByName(stdName);
        this.jca = jcaParameters(stdName);
    }

    /** AMD's CURVE value. */
    public int id() {
        return id;
    }

    /** Bytes of a coordinate or scalar. */
    public int size() {
        return (bc.getCurve().getFieldSize() + 7) / 8;
    }

    public BigInteger order() {
        return bc.getN();
    }

    public ECParameterSpec params() {
        return jca;
    }

    public static Optional<EcCurve> ofId(int id) {
        for (EcCurve c : values()) {
            if (c.id == id) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    /** The curve of a JCA key, compared by parameters (providers name curves differently). */
    public static Optional<EcCurve> of(ECParameterSpec spec) {
        for (EcCurve c : values()) {
            if (c.matches(spec)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    public boolean matches(ECParameterSpec spec) {
        return spec != null && spec.getCurve().equals(jca.getCurve()) && spec.getOrder().equals(jca.getOrder())
                && spec.getGenerator().equals(jca.getGenerator());
    }

    /**
     * Whether (x, y) is an affine point of the curve. The JDK's KeyFactory does not check this, and a
     * key off the curve invites invalid-curve attacks.
     */
    public boolean isOnCurve(BigInteger x, BigInteger y) {
        ECCurve curve = bc.getCurve();
        BigInteger p = curve.getField().getCharacteristic();
        if (x.signum() < 0 || y.signum() < 0 || x.compareTo(p) >= 0 || y.compareTo(p) >= 0) {
            return false;
        }
        return curve.createPoint(x, y).isValid();
    }

    /**
     * d·G, the public point of private scalar {@code d} in [1, n). Not constant-time: it derives the
     * public half of a key the user already holds in a file, once, in a short-lived command.
     */
    public ECPoint publicPoint(BigInteger d) {
        if (d.signum() <= 0 || d.compareTo(order()) >= 0) {
            throw new IllegalArgumentException("private scalar out of range [1, n)");
        }
        org.bouncycastle.math.ec.ECPoint q = bc.getG().multiply(d).normalize();
        return new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
    }

    /** The SEC1 encoding of a point of this curve: 04 x y, or 02/03 x when compressed. */
    public byte[] encode(ECPoint q, boolean compressed) {
        return bc.getCurve().createPoint(q.getAffineX(), q.getAffineY()).getEncoded(compressed);
    }

    /** A JCA public key for a point already known to be on the curve. */
    public ECPublicKey publicKey(BigInteger x, BigInteger y) {
        try {
            return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(new ECPoint(x, y), jca));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK refused a " + name + " point", e);
        }
    }

    public ECPrivateKey privateKey(BigInteger d) {
        try {
            return (ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(new ECPrivateKeySpec(d, jca));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK refused a " + name + " scalar", e);
        }
    }

    @Override
    public String toString() {
        return name;
    }

    private static ECParameterSpec jcaParameters(String stdName) {
        try {
            AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
            p.init(new ECGenParameterSpec(stdName));
            return p.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
