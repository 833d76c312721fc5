package dev.vmm.sev.idblock;

import dev.vmm.sev.crypto.AmdEcdsaPublicKey;
import dev.vmm.sev.crypto.AmdEcdsaSignature;
import dev.vmm.sev.crypto.EcCurve;
import dev.vmm.sev.crypto.EcdsaDigest;
import java.security.InvalidKeyException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.interfaces.ECPublicKey;

/**
 * Makes the pair SNP_LAUNCH_FINISH takes: signs an ID block with the ID key and, if there is one,
 * the ID key with the author key, the way virtee/sev and sev-snp-measure build them.
 */
public final class IdBlockSigner {
    private IdBlockSigner() {}

    /**
     * What the guest owner hands to the host, and the digests the attestation report will show.
     *
     * @param authorKeyDigest null without an author key (the report then has zeros)
     */
    public record Signed(byte[] idBlock, byte[] idAuth, byte[] idKeyDigest, byte[] authorKeyDigest) {}

    /** @param authorKey null for an ID block without an author key (launch with AUTH_KEY_EN = 0) */
    public static Signed sign(IdBlock block, KeyPair idKey, KeyPair authorKey) {
        byte[] blockBytes = block.toBytes();
        AmdEcdsaPublicKey idPublic = p384(idKey);
        AmdEcdsaSignature blockSig = sign(idKey.getPrivate(), blockBytes);
        AmdEcdsaSignature idKeySig = null;
        AmdEcdsaPublicKey authorPublic = null;
        if (authorKey != null) {
            authorPublic = p384(authorKey);
            idKeySig = sign(authorKey.getPrivate(), idPublic.toBytes());
        }
        int algo = AmdEcdsaSignature.SNP_ECDSA_P384_SHA384;
        IdAuthInfo auth = new IdAuthInfo(algo, authorKey != null ? algo : 0, blockSig, idPublic, idKeySig, authorPublic);
        return new Signed(blockBytes, auth.toBytes(), idPublic.digest(), authorPublic != null ? authorPublic.digest() : null);
    }

    private static AmdEcdsaPublicKey p384(KeyPair key) {
        ECPublicKey pub = (ECPublicKey) key.getPublic();
        if (!EcCurve.P384.matches(pub.getParams())) {
            throw new IllegalArgumentException("the key is not on P-384");
        }
        return AmdEcdsaPublicKey.of(pub);
    }

    /** ECDSA P-384 with SHA-384 over all of {@code message}. */
    private static AmdEcdsaSignature sign(PrivateKey key, byte[] message) {
        try {
            return AmdEcdsaSignature.sign(key, EcdsaDigest.SHA384, message, 0, message.length);
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException("cannot sign with this key: " + e.getMessage(), e);
        }
    }
}
