package dev.vmm.sev.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** AMD's signature format: R and S little-endian in 72 bytes each, against the JDK's signatures. */
class AmdEcdsaSignatureTest {
    private static final byte[] MESSAGE = "a SEV certificate body or an ID block".getBytes(StandardCharsets.US_ASCII);

    @ParameterizedTest
    @CsvSource({"secp384r1, SHA384", "secp384r1, SHA256", "secp256r1, SHA256"})
    void signaturesVerifyAndSurviveTheAmdForm(String curve, EcdsaDigest digest) throws Exception {
        KeyPair k = Keys.ec(curve);
        ECPublicKey pub = (ECPublicKey) k.getPublic();
        AmdEcdsaSignature sig = AmdEcdsaSignature.sign(k.getPrivate(), digest, MESSAGE, 0, MESSAGE.length);
        assertThat(sig.verifies(pub, digest, MESSAGE, 0, MESSAGE.length)).isTrue();

        byte[] amd = sig.toBytes();
        assertThat(amd).hasSize(0x200);
        assertThat(Arrays.copyOfRange(amd, 144, 0x200)).as("reserved").containsOnly(0);
        assertThat(AmdEcdsaSignature.parse(amd, 0)).isEqualTo(sig);
        assertThat(amd[0]).as("R is little-endian").isEqualTo(sig.r().byteValue());
        assertThat(amd[72]).as("S starts at 72").isEqualTo(sig.s().byteValue());

        byte[] other = MESSAGE.clone();
        other[3] ^= 1;
        assertThat(sig.verifies(pub, digest, other, 0, other.length)).isFalse();
        assertThat(sig.verifies((ECPublicKey) Keys.ec(curve).getPublic(), digest, MESSAGE, 0, MESSAGE.length)).isFalse();
        EcdsaDigest wrong = digest == EcdsaDigest.SHA256 ? EcdsaDigest.SHA384 : EcdsaDigest.SHA256;
        assertThat(sig.verifies(pub, wrong, MESSAGE, 0, MESSAGE.length)).isFalse();
    }

    @Test
    void theJdksP1363SignaturesConvertBothWays() throws Exception {
        KeyPair k = Keys.ec("secp384r1");
        Signature jdk = Signature.getInstance("SHA384withECDSAinP1363Format");
        jdk.initSign(k.getPrivate());
        jdk.update(MESSAGE);
        byte[] p1363 = jdk.sign();
        AmdEcdsaSignature sig = AmdEcdsaSignature.fromP1363(p1363);
        assertThat(sig.p1363(48)).isEqualTo(p1363);
        assertThat(sig.r()).isEqualTo(new BigInteger(1, Arrays.copyOf(p1363, 48)));
        assertThat(sig.verifies((ECPublicKey) k.getPublic(), EcdsaDigest.SHA384, MESSAGE, 0, MESSAGE.length)).isTrue();
        assertThatThrownBy(() -> AmdEcdsaSignature.fromP1363(new byte[95])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void componentsOutsideTheGroupDoNotVerify() throws Exception {
        KeyPair k = Keys.ec("secp384r1");
        ECPublicKey pub = (ECPublicKey) k.getPublic();
        AmdEcdsaSignature sig = AmdEcdsaSignature.sign(k.getPrivate(), EcdsaDigest.SHA384, MESSAGE, 0, MESSAGE.length);
        BigInteger n = EcCurve.P384.order();
        for (AmdEcdsaSignature bad : new AmdEcdsaSignature[] {new AmdEcdsaSignature(BigInteger.ZERO, sig.s()),
                new AmdEcdsaSignature(sig.r(), n), new AmdEcdsaSignature(sig.r().add(n), sig.s()),
                new AmdEcdsaSignature(sig.r(), sig.s().setBit(400))}) {
            assertThat(bad.verifies(pub, EcdsaDigest.SHA384, MESSAGE, 0, MESSAGE.length)).as(bad.toString()).isFalse();
        }
        byte[] padded = sig.toBytes();
        padded[48] = 1;   // inside R's padding on P-384
        assertThat(AmdEcdsaSignature.parse(padded, 0).verifies(pub, EcdsaDigest.SHA384, MESSAGE, 0, MESSAGE.length)).isFalse();
    }

    @Test
    void componentsMustFitTheirFields() {
        assertThatThrownBy(() -> new AmdEcdsaSignature(BigInteger.ONE.shiftLeft(576), BigInteger.ONE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AmdEcdsaSignature(BigInteger.ONE, BigInteger.ONE.negate()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(new AmdEcdsaSignature(BigInteger.ZERO, BigInteger.ZERO).isZero()).isTrue();
        assertThat(new AmdEcdsaSignature(BigInteger.ZERO, BigInteger.ONE).isZero()).isFalse();
        assertThat(AmdEcdsaSignature.parse(new byte[0x200], 0).isZero()).isTrue();
    }
}
