package dev.vmm.sev.idblock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmm.sev.crypto.AmdEcdsaPublicKey;
import dev.vmm.sev.crypto.AmdEcdsaSignature;
import dev.vmm.sev.crypto.EcdsaDigest;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * The structures against virtee/sev's tests/id-block.rs and sev-snp-measure's tests/test_id_block.py:
 * ID blocks, public-key structures and key digests byte for byte; the stored signatures verify.
 */
class IdBlockVectorsTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] VIRTEE_LD = HEX.parseHex(
            "a14d638341e5674628fe1e02fbedebe5e5ab4faf1dd72d8966068e615bb99efd13d214b35c231715b38e263dc6059745");
    private static final IdBlock VIRTEE_BLOCK = new IdBlock(VIRTEE_LD, new byte[16], new byte[16], 1, 0, 0x30000);

    @Test
    void virteeIdBlockIsByteIdentical() {
        String expected = "a14d638341e5674628fe1e02fbedebe5e5ab4faf1dd72d8966068e615bb99efd13d214b35c231715b38e263dc6059745"
                + "00000000000000000000000000000000" + "00000000000000000000000000000000" + "01000000" + "00000000"
                + "0000030000000000";
        assertThat(HEX.formatHex(VIRTEE_BLOCK.toBytes())).isEqualTo(expected);
        assertThat(Base64.getEncoder().encodeToString(VIRTEE_BLOCK.toBytes())).isEqualTo(
                "oU1jg0HlZ0Yo/h4C++3r5eWrT68d1y2JZgaOYVu5nv0T0hSzXCMXFbOOJj3GBZdFAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAABAAAAAAAAAAAAAwAAAAAA");
        assertThat(IdBlock.parse(HEX.parseHex(expected))).isEqualTo(VIRTEE_BLOCK);
    }

    @Test
    void sevSnpMeasureIdBlockIsByteIdentical() {
        byte[] ld = Base64.getDecoder().decode("B28FLQi9p6cAqipgjFyqawDrrSl7bWioWkWx5mmlWLZ+G5HShKMB/mPE+gdQRn7t");
        IdBlock block = new IdBlock(ld, new byte[16], new byte[16], IdBlock.VERSION_1, 0, 0x30000);
        assertThat(Base64.getEncoder().encodeToString(block.toBytes())).isEqualTo(
                "B28FLQi9p6cAqipgjFyqawDrrSl7bWioWkWx5mmlWLZ+G5HShKMB/mPE+gdQRn7tAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAABAAAAAAAAAAAAAwAAAAAA");
    }

    @Test
    void idBlockFieldsSitAtTheAbiOffsets() {
        byte[] family = filled(16, 0x11);
        byte[] image = filled(16, 0x22);
        byte[] b = new IdBlock(filled(48, 0x33), family, image, 1, 0x01020304, 0x0807060504030201L).toBytes();
        assertThat(b).hasSize(0x60);
        assertThat(Arrays.copyOfRange(b, 0x30, 0x40)).isEqualTo(family);
        assertThat(Arrays.copyOfRange(b, 0x40, 0x50)).isEqualTo(image);
        assertThat(HEX.formatHex(b, 0x50, 0x60)).isEqualTo("01000000" + "04030201" + "0102030405060708");
    }

    @Test
    void publicKeyStructuresAndDigestsMatch() {
        assertDigest("virtee_test_id_key.pem",
                "59fb2c686dfa4fef49f38339aa775c90051c28d57383ddc3baf3b5eb4b1496df3b0dbbdcbae5fe27677a644820773fe2");
        assertDigest("virtee_test_auth_key.pem",
                "eed81169fb0cb5e0ec34794f128fd4e0c4a46f67c65a1adfa81fcb24bcc088c272369b7ffc3eb2b6af6a4284a1b36c5f");
        assertDigest("ssm_id_key_test.pem",
                "870b7e35c53f8a72d0d322f75ab2af8262792aaf6579622ce4131c3f21f289e77cb0560a5e3b90b3932e674ec709cb14");
        assertDigest("ssm_author_key_test.pem",
                "63111c34bbfc0a4938f9a009bd074980d8172323e61599c9fd336da8673248e1dca98d0be8f76376a106b8afd4c0a057");
        // The base64 forms sev-snp-measure prints start so.
        assertThat(Base64.getEncoder().encodeToString(amdKey("ssm_id_key_test.pem").digest())).startsWith("hwt+NcU/");
        assertThat(Base64.getEncoder().encodeToString(amdKey("ssm_author_key_test.pem").digest())).startsWith("YxEcNLv8");
    }

    @Test
    void theIdKeyStructureHoldsQxLittleEndian() {
        byte[] s = amdKey("virtee_test_id_key.pem").toBytes();
        assertThat(s).hasSize(0x404);
        assertThat(HEX.formatHex(s, 0, 4)).isEqualTo("02000000");
        assertThat(HEX.formatHex(s, 4, 12)).isEqualTo("1f6d3c80b8fb9ef2");
        assertThat(Arrays.copyOfRange(s, 4 + 48, 4 + 72)).as("QX padding").containsOnly(0);
        assertThat(Arrays.copyOfRange(s, 0x94, 0x404)).as("reserved").containsOnly(0);
        assertThat(IdAuthInfo.parseKey(s, 0, "test")).isEqualTo(amdKey("virtee_test_id_key.pem"));
    }

    @Test
    void referenceSignaturesVerify() throws Exception {
        ECPublicKey idKey = (ECPublicKey) Vectors.key("virtee_test_id_key.pem").getPublic();
        ECPublicKey authorKey = (ECPublicKey) Vectors.key("virtee_test_auth_key.pem").getPublic();
        AmdEcdsaSignature idSig = AmdEcdsaSignature.parse(Vectors.bytes("virtee_test_id_sig.bin"), 0);
        AmdEcdsaSignature authSig = AmdEcdsaSignature.parse(Vectors.bytes("virtee_test_auth_sig.bin"), 0);
        byte[] idKeyStruct = amdKey("virtee_test_id_key.pem").toBytes();

        assertThat(verifies(idSig, idKey, VIRTEE_BLOCK.toBytes())).isTrue();
        assertThat(verifies(authSig, authorKey, idKeyStruct)).isTrue();
        // Each is bound to its key and message.
        assertThat(verifies(idSig, authorKey, VIRTEE_BLOCK.toBytes())).isFalse();
        assertThat(verifies(authSig, authorKey, VIRTEE_BLOCK.toBytes())).isFalse();
        byte[] otherBlock = VIRTEE_BLOCK.toBytes();
        otherBlock[0x58] ^= 1;
        assertThat(verifies(idSig, idKey, otherBlock)).isFalse();
        // The 512-byte form round-trips, with the reserved tail zero.
        assertThat(idSig.toBytes()).isEqualTo(Vectors.bytes("virtee_test_id_sig.bin"));
    }

    @Test
    void theStoredAuthBlockIsAssembledByteForByte() {
        IdAuthInfo auth = new IdAuthInfo(1, 1,
                AmdEcdsaSignature.parse(Vectors.bytes("virtee_test_id_sig.bin"), 0), amdKey("virtee_test_id_key.pem"),
                AmdEcdsaSignature.parse(Vectors.bytes("virtee_test_auth_sig.bin"), 0), amdKey("virtee_test_auth_key.pem"));
        byte[] stored = Vectors.bytes("virtee_test_auth_block.bin");
        assertThat(auth.toBytes()).isEqualTo(stored);
        assertThat(IdAuthInfo.parse(stored, true)).isEqualTo(auth);

        IdBlockVerifier.Verified v = IdBlockVerifier.verify(VIRTEE_BLOCK.toBytes(), stored, true);
        assertThat(v.block()).isEqualTo(VIRTEE_BLOCK);
        assertThat(HEX.formatHex(v.idKeyDigest())).startsWith("59fb2c68").endsWith("20773fe2");
        assertThat(HEX.formatHex(v.authorKeyDigest())).startsWith("eed81169").endsWith("a1b36c5f");
    }

    @Test
    void newSignaturesVerifyAndDiffer() {
        KeyPair id = Vectors.key("ssm_id_key_test.pem");
        KeyPair author = Vectors.key("ssm_author_key_test.pem");
        IdBlock block = new IdBlock(filled(48, 7), filled(16, 1), filled(16, 2), 1, 3, 0x30000);
        IdBlockSigner.Signed a = IdBlockSigner.sign(block, id, author);
        IdBlockSigner.Signed b = IdBlockSigner.sign(block, id, author);
        assertThat(a.idBlock()).isEqualTo(b.idBlock()).isEqualTo(block.toBytes());
        assertThat(a.idAuth()).as("ECDSA is randomised").isNotEqualTo(b.idAuth());
        for (IdBlockSigner.Signed s : new IdBlockSigner.Signed[] {a, b}) {
            IdBlockVerifier.Verified v = IdBlockVerifier.verify(s.idBlock(), s.idAuth(), true);
            assertThat(v.idKeyDigest()).isEqualTo(s.idKeyDigest()).isEqualTo(amdKey("ssm_id_key_test.pem").digest());
            assertThat(v.authorKeyDigest()).isEqualTo(s.authorKeyDigest())
                    .isEqualTo(amdKey("ssm_author_key_test.pem").digest());
        }
        byte[] auth = a.idAuth();
        assertThat(HEX.formatHex(auth, 0, 8)).isEqualTo("0100000001000000");
        assertThat(Arrays.copyOfRange(auth, 0x8, 0x40)).containsOnly(0);
        assertThat(Arrays.copyOfRange(auth, 0x644, 0x680)).containsOnly(0);
        assertThat(Arrays.copyOfRange(auth, 0xc84, 0x1000)).containsOnly(0);
    }

    @Test
    void withoutAnAuthorKeyTheAuthorFieldsStayZero() {
        IdBlockSigner.Signed s = IdBlockSigner.sign(VIRTEE_BLOCK, Vectors.key("virtee_test_id_key.pem"), null);
        assertThat(s.authorKeyDigest()).isNull();
        assertThat(Arrays.copyOfRange(s.idAuth(), 0x4, 0x40)).as("AUTH_KEY_ALGO and reserved").containsOnly(0);
        assertThat(Arrays.copyOfRange(s.idAuth(), 0x680, 0x1000)).containsOnly(0);
        assertThat(IdBlockVerifier.verify(s.idBlock(), s.idAuth(), false).authorKeyDigest()).isNull();
        assertThatThrownBy(() -> IdBlockVerifier.verify(s.idBlock(), s.idAuth(), true))
                .isInstanceOfSatisfying(IdBlockException.class, e -> {
                    assertThat(e.problem()).isEqualTo(IdBlockException.Problem.INVALID);
                    assertThat(e).hasMessage("ID_AUTH_INFO.AUTH_KEY_ALGO (offset 0x4) is 0, not 1 (ECDSA P-384 with SHA-384)");
                });
    }

    @Test
    void theVerifierNamesWhatFailed() {
        byte[] block = VIRTEE_BLOCK.toBytes();
        byte[] auth = Vectors.bytes("virtee_test_auth_block.bin");

        byte[] otherSvn = block.clone();
        otherSvn[0x54] = 1;
        assertRefused(otherSvn, auth, true, IdBlockException.Problem.BAD_SIGNATURE, "ID_AUTH_INFO.ID_BLOCK_SIG (offset 0x40)");

        byte[] authorSwapped = auth.clone();
        System.arraycopy(amdKey("ssm_author_key_test.pem").toBytes(), 0, authorSwapped, 0x880, 0x404);
        assertRefused(block, authorSwapped, true, IdBlockException.Problem.BAD_SIGNATURE, "ID_AUTH_INFO.ID_KEY_SIG (offset 0x680)");
        assertThat(IdBlockVerifier.verify(block, authorSwapped, false)).as("author fields unused without AUTH_KEY_EN")
                .isNotNull();

        byte[] version2 = block.clone();
        version2[0x50] = 2;
        assertRefused(version2, auth, true, IdBlockException.Problem.INVALID, "ID block: VERSION (offset 0x50) is 2, not 1");

        byte[] curve = auth.clone();
        curve[0x240] = 1;
        assertRefused(block, curve, false, IdBlockException.Problem.INVALID,
                "ID_AUTH_INFO.ID_KEY at 0x240: CURVE (offset 0x240) is 1, not 2 (P-384)");

        byte[] offCurve = auth.clone();
        offCurve[0x244] ^= 1;
        assertRefused(block, offCurve, false, IdBlockException.Problem.INVALID,
                "ID_AUTH_INFO.ID_KEY at 0x240: QX, QY (offsets 0x244, 0x28c) are not a point of P-384");

        byte[] algo = auth.clone();
        algo[0] = 2;
        assertRefused(block, algo, false, IdBlockException.Problem.INVALID, "ID_AUTH_INFO.ID_KEY_ALGO (offset 0x0) is 2");

        byte[] rPadding = auth.clone();
        rPadding[0x40 + 48] = 1;   // inside R's zero padding: r >= n
        assertRefused(block, rPadding, false, IdBlockException.Problem.BAD_SIGNATURE,
                "ID_AUTH_INFO.ID_BLOCK_SIG (offset 0x40)");
    }

    private static void assertRefused(byte[] block, byte[] auth, boolean author, IdBlockException.Problem problem,
                                      String message) {
        assertThatThrownBy(() -> IdBlockVerifier.verify(block, auth, author))
                .isInstanceOfSatisfying(IdBlockException.class, e -> {
                    assertThat(e.problem()).isEqualTo(problem);
                    assertThat(e.getMessage()).startsWith(message);
                });
    }

    private static boolean verifies(AmdEcdsaSignature signature, ECPublicKey key, byte[] message) throws Exception {
        return signature.verifies(key, EcdsaDigest.SHA384, message, 0, message.length);
    }

    private static void assertDigest(String key, String digest) {
        AmdEcdsaPublicKey k = amdKey(key);
        assertThat(HEX.formatHex(k.digest())).as(key).isEqualTo(digest);
        assertThat(k.digest()).isEqualTo(AmdEcdsaPublicKey.digestOf(k.toBytes(), 0));
    }

    static AmdEcdsaPublicKey amdKey(String pem) {
        return AmdEcdsaPublicKey.of((ECPublicKey) Vectors.key(pem).getPublic());
    }

    static byte[] filled(int n, int value) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) value);
        return b;
    }
}
