package dev.vmm.sev.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** AMD's public-key format: CURVE, then QX and QY little-endian in 72 bytes each, 0x404 bytes in all. */
class AmdEcdsaPublicKeyTest {
    @ParameterizedTest
    @EnumSource(EcCurve.class)
    void jdkKeysRoundTripThroughTheAmdForm(EcCurve curve) {
        ECPublicKey jdk = (ECPublicKey) Keys.ec(Keys.stdName(curve)).getPublic();
        AmdEcdsaPublicKey key = AmdEcdsaPublicKey.of(jdk);
        byte[] b = key.toBytes();
        assertThat(b).hasSize(0x404);
        assertThat(ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt(0)).isEqualTo(curve.id());
        assertThat(AmdEcdsaPublicKey.curveId(b, 0)).isEqualTo(curve.id());
        assertThat(b[4]).as("QX is little-endian").isEqualTo(jdk.getW().getAffineX().byteValue());
        assertThat(b[4 + 72]).as("QY starts at 0x4c").isEqualTo(jdk.getW().getAffineY().byteValue());
        assertThat(Arrays.copyOfRange(b, 4 + curve.size(), 4 + 72)).as("QX padding").containsOnly(0);
        assertThat(Arrays.copyOfRange(b, 0x94, 0x404)).as("reserved").containsOnly(0);
        assertThat(AmdEcdsaPublicKey.read(b, 0, curve)).contains(key);
        assertThat(key.toJca()).isEqualTo(jdk);
    }

    @Test
    void coordinatesOffTheCurveAreRefused() {
        AmdEcdsaPublicKey key = AmdEcdsaPublicKey.of((ECPublicKey) Keys.ec("secp384r1").getPublic());
        byte[] b = key.toBytes();
        b[4] ^= 1;
        assertThat(AmdEcdsaPublicKey.read(b, 0, EcCurve.P384)).isEmpty();
        byte[] padded = key.toBytes();
        padded[4 + 60] = 1;   // QX padding: x >= p
        assertThat(AmdEcdsaPublicKey.read(padded, 0, EcCurve.P384)).isEmpty();
        assertThat(AmdEcdsaPublicKey.read(key.toBytes(), 0, EcCurve.P256)).as("read as the other curve").isEmpty();
        assertThatThrownBy(() -> new AmdEcdsaPublicKey(EcCurve.P384, key.qx(), key.qy().add(BigInteger.ONE)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AmdEcdsaPublicKey.of((ECPublicKey) Keys.ec("secp521r1").getPublic()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("neither P-256 nor P-384");
    }

    @Test
    void theDigestIsSha384OfAllTheBytes() throws Exception {
        AmdEcdsaPublicKey key = AmdEcdsaPublicKey.of((ECPublicKey) Keys.ec("secp384r1").getPublic());
        byte[] expected = MessageDigest.getInstance("SHA-384").digest(key.toBytes());
        assertThat(key.digest()).isEqualTo(expected);
        byte[] at = new byte[0x500];
        System.arraycopy(key.toBytes(), 0, at, 0x10, 0x404);
        assertThat(AmdEcdsaPublicKey.digestOf(at, 0x10)).isEqualTo(expected);
        at[0x10 + 0x403] = 1;   // reserved bytes count: the firmware hashes what it was given
        assertThat(AmdEcdsaPublicKey.digestOf(at, 0x10)).isNotEqualTo(expected);
    }
}
