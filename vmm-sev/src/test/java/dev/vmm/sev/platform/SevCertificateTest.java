package dev.vmm.sev.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class SevCertificateTest {
    static KeyPair p384() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp384r1"));
        return g.generateKeyPair();
    }

    @Test
    void layoutMatchesTheSevApiAppendix() throws Exception {
        KeyPair k = p384();
        SevCertificate c = SevCertificate.unsigned(SevCertificate.USAGE_PEK, SevCertificate.ALGO_ECDSA_SHA256, 1, 55,
                (ECPublicKey) k.getPublic());
        ByteBuffer b = ByteBuffer.wrap(c.encode()).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(b.capacity()).isEqualTo(0x824);
        assertThat(b.getInt(0)).isEqualTo(1);
        assertThat(b.get(4)).isEqualTo((byte) 1);
        assertThat(b.get(5)).isEqualTo((byte) 55);
        assertThat(b.getInt(8)).isEqualTo(0x1002);
        assertThat(b.getInt(0xc)).isEqualTo(2);
        assertThat(b.getInt(0x10)).as("curve P-384").isEqualTo(2);
        // qx little-endian at 0x14: its first byte is the least significant byte of X.
        byte[] x = ((ECPublicKey) k.getPublic()).getW().getAffineX().toByteArray();
        assertThat(b.get(0x14)).isEqualTo(x[x.length - 1]);
        assertThat(b.getInt(0x414)).as("slot 1 usage: invalid").isEqualTo(0x1000);
        assertThat(b.getInt(0x61c)).as("slot 2 usage: invalid").isEqualTo(0x1000);
        assertThat(c.signature(0).isEmpty()).isTrue();
        assertThat(c.publicKey().getW()).isEqualTo(((ECPublicKey) k.getPublic()).getW());
    }

    @Test
    void signaturesVerifyAndRoundTrip() throws Exception {
        KeyPair oca = p384();
        KeyPair pek = p384();
        SevCertificate ocaCert = SevCertificate.unsigned(SevCertificate.USAGE_OCA, SevCertificate.ALGO_ECDSA_SHA256, 1, 55,
                (ECPublicKey) oca.getPublic()).sign(0, SevCertificate.USAGE_OCA, SevCertificate.ALGO_ECDSA_SHA256, oca.getPrivate());
        SevCertificate pekCert = SevCertificate.unsigned(SevCertificate.USAGE_PEK, SevCertificate.ALGO_ECDSA_SHA256, 1, 55,
                (ECPublicKey) pek.getPublic()).sign(0, SevCertificate.USAGE_OCA, SevCertificate.ALGO_ECDSA_SHA384, oca.getPrivate());

        SevCertificate reparsed = SevCertificate.parse(pekCert.encode(), "pek");
        assertThat(reparsed.encode()).isEqualTo(pekCert.encode());
        assertThat(reparsed.isSignedBy(ocaCert)).isTrue();
        assertThat(ocaCert.isSignedBy(ocaCert)).isTrue();
        assertThat(reparsed.signature(0).usage()).isEqualTo(SevCertificate.USAGE_OCA);
        assertThat(reparsed.signature(0).algo()).isEqualTo(SevCertificate.ALGO_ECDSA_SHA384);
        assertThat(reparsed.signature(1).isEmpty()).isTrue();
        // The signer must be the OCA: the PEK does not sign itself, and a different OCA does not match.
        assertThat(reparsed.isSignedBy(reparsed)).isFalse();
        KeyPair other = p384();
        SevCertificate otherOca = SevCertificate.unsigned(SevCertificate.USAGE_OCA, SevCertificate.ALGO_ECDSA_SHA256, 1, 55,
                (ECPublicKey) other.getPublic());
        assertThat(reparsed.isSignedBy(otherOca)).isFalse();
        // Any change to the body breaks the signature; a change to the other slot does not.
        byte[] tampered = pekCert.encode();
        tampered[0x20] ^= 1;
        assertThat(SevCertificate.parse(tampered, "t").isSignedBy(ocaCert)).isFalse();
        assertThat(reparsed.withEmptySlot(0).isSignedBy(ocaCert)).isFalse();
    }

    @Test
    void parseErrorsNameTheFieldAndOffset() throws Exception {
        assertThatThrownBy(() -> SevCertificate.parse(new byte[100], "f.cert"))
                .isInstanceOf(SevCertificateException.class).hasMessageContaining("f.cert: 100 bytes").hasMessageContaining("0x824");
        byte[] b = new byte[0x824];
        assertThatThrownBy(() -> SevCertificate.parse(b, "f.cert")).hasMessageContaining("version 0 at offset 0x0");
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 1).putInt(0xc, 0x55);
        assertThatThrownBy(() -> SevCertificate.parse(b, "f.cert")).hasMessageContaining("pubkey_algo 0x55 at offset 0xc");
        bb.putInt(0xc, SevCertificate.ALGO_ECDSA_SHA256).putInt(0x10, 7);
        assertThatThrownBy(() -> SevCertificate.parse(b, "f.cert")).hasMessageContaining("curve 7 at offset 0x10");
        bb.putInt(0x10, 2);
        SevCertificate notOnCurve = SevCertificate.parse(b, "f.cert");
        assertThatThrownBy(notOnCurve::publicKey).isInstanceOf(SevCertificateException.class)
                .hasMessageContaining("offset 0x10");
    }

    @Property(tries = 300)
    void parseThrowsOnlyItsOwnError(@ForAll @Size(max = 0x900) byte[] bytes) {
        byte[] cert = bytes.length > 0x10 && bytes[0] % 2 == 0 ? java.util.Arrays.copyOf(bytes, 0x824) : bytes;
        if (cert.length == 0x824) {
            ByteBuffer.wrap(cert).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 1);
        }
        try {
            SevCertificate c = SevCertificate.parse(cert, "fuzz");
            c.publicKey();
            c.isSignedBy(c);
        } catch (SevCertificateException expected) {
            assertThat(expected.getMessage()).startsWith("fuzz");
        }
    }
}
