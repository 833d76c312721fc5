package dev.vmm.sev.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECPoint;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The curves against the JDK: the same public points, the same parameters, and the points that are not on them. */
class EcCurveTest {
    @ParameterizedTest
    @EnumSource(EcCurve.class)
    void publicPointOfAPrivateScalarIsTheJdks(EcCurve curve) {
        for (int i = 0; i < 5; i++) {
            KeyPair jdk = Keys.ec(Keys.stdName(curve));
            BigInteger d = ((ECPrivateKey) jdk.getPrivate()).getS();
            ECPoint w = ((ECPublicKey) jdk.getPublic()).getW();
            assertThat(curve.publicPoint(d)).isEqualTo(w);
            assertThat(curve.isOnCurve(w.getAffineX(), w.getAffineY())).isTrue();
            assertThat(curve.publicKey(w.getAffineX(), w.getAffineY())).isEqualTo(jdk.getPublic());
            assertThat(curve.privateKey(d).getS()).isEqualTo(d);
        }
    }

    @ParameterizedTest
    @EnumSource(EcCurve.class)
    void pointsOffTheCurveAreNotOnIt(EcCurve curve) {
        ECPoint w = ((ECPublicKey) Keys.ec(Keys.stdName(curve)).getPublic()).getW();
        BigInteger p = curve.params().getCurve().getField().getFieldSize() == 256
                ? new BigInteger("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff", 16)
                : BigInteger.TWO.pow(384).subtract(BigInteger.TWO.pow(128)).subtract(BigInteger.TWO.pow(96))
                        .add(BigInteger.TWO.pow(32)).subtract(BigInteger.ONE);
        assertThat(curve.isOnCurve(w.getAffineX(), w.getAffineY().add(BigInteger.ONE))).isFalse();
        assertThat(curve.isOnCurve(w.getAffineX().add(p), w.getAffineY())).as("x + p is the same residue but not a coordinate").isFalse();
        assertThat(curve.isOnCurve(w.getAffineX().negate(), w.getAffineY())).isFalse();
        assertThat(curve.isOnCurve(BigInteger.ZERO, BigInteger.ZERO)).isFalse();
        assertThat(curve.isOnCurve(w.getAffineX(), p.subtract(w.getAffineY()))).as("-W is on the curve").isTrue();
    }

    @Test
    void aPointOfOneCurveIsNotOnTheOther() {
        ECPoint w = ((ECPublicKey) Keys.ec("secp256r1").getPublic()).getW();
        assertThat(EcCurve.P384.isOnCurve(w.getAffineX(), w.getAffineY())).isFalse();
    }

    @Test
    void curvesByAmdIdAndByJcaParameters() {
        assertThat(EcCurve.ofId(1)).contains(EcCurve.P256);
        assertThat(EcCurve.ofId(2)).contains(EcCurve.P384);
        assertThat(EcCurve.ofId(0)).isEmpty();
        assertThat(EcCurve.ofId(3)).isEmpty();
        assertThat(EcCurve.of(((ECPublicKey) Keys.ec("secp384r1").getPublic()).getParams())).contains(EcCurve.P384);
        assertThat(EcCurve.of(((ECPublicKey) Keys.ec("secp521r1").getPublic()).getParams())).isEmpty();
        assertThat(EcCurve.P384.size()).isEqualTo(48);
        assertThat(EcCurve.P256.size()).isEqualTo(32);
        assertThat(EcCurve.P384.order()).isEqualTo(EcCurve.P384.params().getOrder());
    }

    @Test
    void sec1EncodingsAreUncompressedOrCompressed() {
        ECPoint w = ((ECPublicKey) Keys.ec("secp384r1").getPublic()).getW();
        byte[] full = EcCurve.P384.encode(w, false);
        byte[] compressed = EcCurve.P384.encode(w, true);
        assertThat(full).hasSize(97);
        assertThat(full[0]).isEqualTo((byte) 4);
        assertThat(new BigInteger(1, Arrays.copyOfRange(full, 1, 49))).isEqualTo(w.getAffineX());
        assertThat(new BigInteger(1, Arrays.copyOfRange(full, 49, 97))).isEqualTo(w.getAffineY());
        assertThat(compressed).hasSize(49);
        assertThat(compressed[0]).isEqualTo((byte) (w.getAffineY().testBit(0) ? 3 : 2));
        assertThat(Arrays.copyOfRange(compressed, 1, 49)).isEqualTo(Arrays.copyOfRange(full, 1, 49));
    }

    @Test
    void scalarsOutsideTheGroupHaveNoPublicPoint() {
        assertThatThrownBy(() -> EcCurve.P384.publicPoint(BigInteger.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> EcCurve.P384.publicPoint(EcCurve.P384.order())).isInstanceOf(IllegalArgumentException.class);
        assertThat(EcCurve.P384.publicPoint(BigInteger.ONE)).isEqualTo(EcCurve.P384.params().getGenerator());
    }
}
