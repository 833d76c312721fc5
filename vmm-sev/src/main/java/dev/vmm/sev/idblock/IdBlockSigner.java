package dev.vmm.sev.idblock;

import java.security.KeyPair;
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
        AmdEcdsaPublicKey idPublic = AmdEcdsaPublicKey.of((ECPublicKey) idKey.getPublic());
        AmdEcdsaSignature blockSig = AmdEcdsaSignature.sign(idKey.getPrivate(), blockBytes);
        AmdEcdsaSignature idKeySig = null;
        AmdEcdsaPublicKey authorPublic = null;
        if (authorKey != null) {
            authorPublic = AmdEcdsaPublicKey.of((ECPublicKey) authorKey.getPublic());
            idKeySig = AmdEcdsaSignature.sign(authorKey.getPrivate(), idPublic.toBytes());
        }
        int algo = IdAuthInfo.ALGO_ECDSA_P384_SHA384;
        IdAuthInfo auth = new IdAuthInfo(algo, authorKey != null ? algo : 0, blockSig, idPublic, idKeySig, authorPublic);
        return new Signed(blockBytes, auth.toBytes(), idPublic.digest(), authorPublic != null ? authorPublic.digest() : null);
    }
}
