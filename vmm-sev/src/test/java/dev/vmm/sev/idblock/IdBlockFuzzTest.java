package dev.vmm.sev.idblock;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmm.sev.crypto.AmdEcdsaPublicKey;
import dev.vmm.sev.crypto.EcCurve;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever the input, the key-file reader throws only {@link KeyFileException} and the ID structure
 * parsers only {@link IdBlockException}, with a message naming where; never an index or crypto error.
 */
class IdBlockFuzzTest {
    private static final List<String> KEYS = List.of("virtee_test_id_key.pem", "virtee_test_auth_key.pem",
            "ssm_id_key_test.pem", "ssm_author_key_test.pem");
    private static final byte[] BLOCK = new IdBlock(new byte[48], new byte[16], new byte[16], 1, 0, 0x30000).toBytes();
    private static final byte[] AUTH = IdBlockSigner.sign(IdBlock.parse(BLOCK), Vectors.key("virtee_test_id_key.pem"),
            Vectors.key("virtee_test_auth_key.pem")).idAuth();

    private static void readsOrFailsCleanly(String text) {
        try {
            var pair = EcKeyFile.parse(text, "fuzz.pem");
            ECPublicKey pub = (ECPublicKey) pair.getPublic();
            assertThat(EcCurve.P384.isOnCurve(pub.getW().getAffineX(), pub.getW().getAffineY())).isTrue();
        } catch (KeyFileException e) {
            assertThat(e.getMessage()).startsWith("fuzz.pem");
        }
    }

    @Property(tries = 1500)
    void mutatedKeyDer(@ForAll("mutatedDer") String pem) {
        readsOrFailsCleanly(pem);
    }

    @Property(tries = 800)
    void mutatedKeyText(@ForAll("mutatedText") String pem) {
        readsOrFailsCleanly(pem);
    }

    @Property(tries = 500)
    void arbitraryDerInAPemBlock(@ForAll("arbitraryDer") String pem) {
        readsOrFailsCleanly(pem);
    }

    @Property(tries = 1500)
    void mutatedIdAuth(@ForAll("mutatedAuth") byte[] auth, @ForAll boolean authorKey) {
        try {
            IdBlockVerifier.Verified v = IdBlockVerifier.verify(BLOCK, auth, authorKey);
            assertThat(v.idKeyDigest()).hasSize(48);
        } catch (IdBlockException e) {
            assertThat(e.getMessage()).containsAnyOf("ID_AUTH_INFO", "ID auth");
        }
    }

    @Property(tries = 500)
    void arbitraryPublicKeyStructures(@ForAll("publicKeys") byte[] key) {
        try {
            AmdEcdsaPublicKey k = IdAuthInfo.parseKey(key, 0, "fuzz");
            assertThat(EcCurve.P384.isOnCurve(k.qx(), k.qy())).isTrue();
        } catch (IdBlockException e) {
            assertThat(e.getMessage()).startsWith("fuzz: ");
            assertThat(e.problem()).isEqualTo(IdBlockException.Problem.INVALID);
        }
    }

    @Property(tries = 300)
    void anyLengthOfIdBlockOrAuth(@ForAll("anyLength") byte[] bytes) {
        try {
            IdBlockVerifier.verify(bytes, AUTH, true);
        } catch (IdBlockException e) {
            assertThat(e.getMessage()).startsWith("ID block");
        }
        try {
            IdBlockVerifier.verify(BLOCK, bytes, false);
        } catch (IdBlockException e) {
            // At exactly the right size the bytes parse as an ID_AUTH_INFO and a field of it is refused.
            assertThat(e.getMessage()).startsWith(bytes.length == IdAuthInfo.SIZE ? "ID_AUTH_INFO." : "ID auth: " + bytes.length + " bytes");
        }
    }

    /** A real key's DER with bytes changed, inserted or cut, wrapped in its PEM label again. */
    @Provide
    Arbitrary<String> mutatedDer() {
        Arbitrary<String> key = Arbitraries.of(KEYS);
        Arbitrary<List<int[]>> flips = Combinators.combine(Arbitraries.integers().between(0, 200),
                Arbitraries.integers().between(0, 255)).as((at, v) -> new int[] {at, v}).list().ofMinSize(1).ofMaxSize(4);
        Arbitrary<Integer> cut = Arbitraries.integers().between(0, 200);
        return Combinators.combine(key, flips, cut, Arbitraries.of(true, false)).as((name, fs, c, truncate) -> {
            String text = Vectors.text(name);
            String label = text.substring("-----BEGIN ".length(), text.indexOf("-----", 5));
            byte[] der = Base64.getMimeDecoder().decode(text.replaceAll("-----[A-Z ]+-----", ""));
            for (int[] f : fs) {
                der[f[0] % der.length] = (byte) f[1];
            }
            if (truncate) {
                der = Arrays.copyOf(der, c % der.length);
            }
            return EcKeyFileTest.pem(label, der);
        });
    }

    /** A real PEM text with characters replaced or lines dropped. */
    @Provide
    Arbitrary<String> mutatedText() {
        Arbitrary<String> key = Arbitraries.of(KEYS);
        Arbitrary<List<int[]>> edits = Combinators.combine(Arbitraries.integers().between(0, 400),
                Arbitraries.chars().ascii()).as((at, ch) -> new int[] {at, ch}).list().ofMinSize(1).ofMaxSize(3);
        return Combinators.combine(key, edits).as((name, es) -> {
            StringBuilder s = new StringBuilder(Vectors.text(name));
            for (int[] e : es) {
                s.setCharAt(e[0] % s.length(), (char) e[1]);
            }
            return s.toString();
        });
    }

    @Provide
    Arbitrary<String> arbitraryDer() {
        Arbitrary<byte[]> bytes = Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(200);
        Arbitrary<byte[]> sequences = bytes.map(b -> {
            byte[] withHeader = new byte[b.length + 2];
            withHeader[0] = 0x30;
            withHeader[1] = (byte) Math.min(b.length, 0x7f);
            System.arraycopy(b, 0, withHeader, 2, b.length);
            return withHeader;
        });
        return Combinators.combine(Arbitraries.oneOf(bytes, sequences), Arbitraries.of("PRIVATE KEY", "EC PRIVATE KEY"))
                .as((der, label) -> EcKeyFileTest.pem(label, der));
    }

    /** A valid ID auth with a few bytes changed, mostly in the algorithm, key and signature fields. */
    @Provide
    Arbitrary<byte[]> mutatedAuth() {
        Arbitrary<Integer> where = Arbitraries.oneOf(Arbitraries.integers().between(0, 8),
                Arbitraries.integers().between(0x40, 0x40 + 144), Arbitraries.integers().between(0x240, 0x240 + 148),
                Arbitraries.integers().between(0x680, 0x680 + 144), Arbitraries.integers().between(0x880, 0x880 + 148),
                Arbitraries.integers().between(0, 0xfff));
        Arbitrary<List<int[]>> flips = Combinators.combine(where, Arbitraries.integers().between(0, 255))
                .as((at, v) -> new int[] {at, v}).list().ofMinSize(0).ofMaxSize(4);
        return flips.map(fs -> {
            byte[] auth = AUTH.clone();
            for (int[] f : fs) {
                auth[f[0]] = (byte) f[1];
            }
            return auth;
        });
    }

    @Provide
    Arbitrary<byte[]> publicKeys() {
        byte[] real = IdBlockVectorsTest.amdKey("ssm_id_key_test.pem").toBytes();
        Arbitrary<byte[]> mutated = Combinators.combine(Arbitraries.integers().between(0, 0x93), Arbitraries.integers()
                .between(0, 255)).as((at, v) -> {
                    byte[] k = real.clone();
                    k[at] = (byte) v.intValue();
                    return k;
                });
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(AmdEcdsaPublicKey.SIZE + 8);
        return Arbitraries.oneOf(mutated, random);
    }

    @Provide
    Arbitrary<byte[]> anyLength() {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(0).ofMaxSize(5000);
    }
}
