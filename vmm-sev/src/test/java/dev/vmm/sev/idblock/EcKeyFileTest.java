package dev.vmm.sev.idblock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmm.sev.crypto.EcCurve;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** PKCS#8 and SEC1 P-384 keys load; anything else is refused with the file and the reason. */
class EcKeyFileTest {
    @Test
    void pkcs8AndSec1KeysLoadWithTheirOwnPublicKeys() {
        KeyPair pkcs8 = Vectors.key("virtee_test_id_key.pem");
        KeyPair sec1 = Vectors.key("ssm_id_key_test.pem");
        // The derived point is the one the file carries (checked inside parse) and the one openssl shows.
        assertThat(((ECPublicKey) pkcs8.getPublic()).getW().getAffineX().toString(16)).startsWith("f6763e4d")
                .endsWith("803c6d1f");
        assertThat(((ECPublicKey) pkcs8.getPublic()).getW().getAffineY().toString(16)).startsWith("ccd7a8d0")
                .endsWith("9c93be3e");
        assertThat(((ECPrivateKey) sec1.getPrivate()).getS().toString(16)).startsWith("dddcd8eb3ddb93a0");
        assertThat(EcCurve.P384.matches(((ECPublicKey) sec1.getPublic()).getParams())).isTrue();
    }

    @Test
    void aJdkWrittenKeyWithoutPublicPartGetsTheJdksPublicKey() throws Exception {
        // The JDK's PKCS#8 carries no public key: it must be derived, and must be the JDK's own.
        for (int i = 0; i < 5; i++) {
            KeyPair jdk = p384();
            KeyPair read = EcKeyFile.parse(pem("PRIVATE KEY", jdk.getPrivate().getEncoded()), "jdk.pem");
            assertThat(((ECPublicKey) read.getPublic()).getW()).isEqualTo(((ECPublicKey) jdk.getPublic()).getW());
            assertThat(((ECPrivateKey) read.getPrivate()).getS()).isEqualTo(((ECPrivateKey) jdk.getPrivate()).getS());
        }
    }

    @Test
    void ecParametersBeforeTheKeyAreSkipped() {
        String text = "-----BEGIN EC PARAMETERS-----\nBgUrgQQAIg==\n-----END EC PARAMETERS-----\n"
                + Vectors.text("ssm_author_key_test.pem");
        assertThat(EcKeyFile.parse(text, "k.pem").getPublic()).isEqualTo(Vectors.key("ssm_author_key_test.pem").getPublic());
    }

    @Test
    void readingAFileNamesIt(@TempDir Path dir) throws Exception {
        Path key = dir.resolve("id.pem");
        Files.writeString(key, Vectors.text("virtee_test_auth_key.pem"));
        assertThat(EcKeyFile.read(key).getPublic()).isEqualTo(Vectors.key("virtee_test_auth_key.pem").getPublic());
        assertThatThrownBy(() -> EcKeyFile.read(dir.resolve("none.pem"))).isInstanceOf(KeyFileException.class)
                .hasMessage(dir.resolve("none.pem") + ": no such key file");
    }

    @Test
    void otherKeysAndBrokenFilesAreRefused() throws Exception {
        KeyPairGenerator p256 = KeyPairGenerator.getInstance("EC");
        p256.initialize(new ECGenParameterSpec("secp256r1"));
        assertRefused(pem("PRIVATE KEY", p256.generateKeyPair().getPrivate().getEncoded()),
                "k.pem: curve 1.2.840.10045.3.1.7 (P-256) is not P-384");
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(1024);
        assertRefused(pem("PRIVATE KEY", rsa.generateKeyPair().getPrivate().getEncoded()),
                "k.pem: algorithm 1.2.840.113549.1.1.1 (RSA) is not an EC key");
        assertRefused(pem("PUBLIC KEY", p384().getPublic().getEncoded()), "k.pem: a PEM PUBLIC KEY, not a P-384");
        assertRefused(pem("ENCRYPTED PRIVATE KEY", new byte[8]), "k.pem: the key is encrypted");
        assertRefused("-----BEGIN EC PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nAAAA\n-----END EC PRIVATE KEY-----\n",
                "k.pem: PEM headers (Proc-Type: 4,ENCRYPTED)");
        assertRefused("hello", "k.pem: no PEM private key");
        assertRefused("-----BEGIN PRIVATE KEY-----\nMIG2AgEA\n", "k.pem: -----END PRIVATE KEY----- not found");
        assertRefused("-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----\n", "k.pem: malformed PEM data: unable to decode base64");
        assertRefused(Vectors.text("virtee_test_id_key.pem") + Vectors.text("virtee_test_auth_key.pem"),
                "k.pem: more than one private key");
        String cut = Base64.getEncoder().encodeToString(Arrays.copyOf(
                Base64.getMimeDecoder().decode(body(Vectors.text("virtee_test_id_key.pem"))), 100));
        assertRefused("-----BEGIN PRIVATE KEY-----\n" + cut + "\n-----END PRIVATE KEY-----\n",
                "k.pem (PRIVATE KEY): PrivateKeyInfo: malformed DER: ");
    }

    @Test
    void aPublicKeyThatIsNotThePrivateKeysIsRefused() {
        // SEC1 key of sev-snp-measure's ID key with the last byte of its public point changed.
        byte[] der = Base64.getMimeDecoder().decode(body(Vectors.text("ssm_id_key_test.pem")));
        der[der.length - 1] ^= 1;
        assertRefused(pem("EC PRIVATE KEY", der), "k.pem: the public key in the file is not the private key's");
    }

    @Test
    void aSec1KeyMustNameItsCurve() {
        // SEQUENCE { INTEGER 1, OCTET STRING 05 } with no [0] parameters.
        byte[] der = HexFormat.of().parseHex("3006020101040105");
        assertRefused(pem("EC PRIVATE KEY", der), "k.pem: the EC PRIVATE KEY names no curve");
    }

    private static void assertRefused(String text, String message) {
        assertThatThrownBy(() -> EcKeyFile.parse(text, "k.pem")).isInstanceOf(KeyFileException.class)
                .message().startsWith(message);
    }

    static KeyPair p384() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp384r1"));
        return g.generateKeyPair();
    }

    static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + label + "-----\n";
    }

    private static String body(String pem) {
        return pem.replaceAll("-----[A-Z ]+-----", "");
    }
}
