package dev.vmm.sev.idblock;

import dev.vmm.sev.crypto.AmdEcdsaPublicKey;
import dev.vmm.sev.crypto.AmdEcdsaSignature;
import dev.vmm.sev.crypto.EcdsaDigest;
import dev.vmm.sev.idblock.IdBlockException.Problem;
import java.security.InvalidKeyException;
import java.util.Arrays;

/**
 * The checks SNP_LAUNCH_FINISH makes of an ID block and its ID authentication structure on their own,
 * before comparing them with the launch (digest, policy): known algorithms and curve, VERSION 1, the ID
 * key's signature over the ID block and, with AUTH_KEY_EN, the author key's signature over the ID key.
 */
public final class IdBlockVerifier {
    private IdBlockVerifier() {}

    /**
     * An ID block the firmware would accept, with the digests it records for the attestation report.
     *
     * @param authorKeyDigest null without AUTH_KEY_EN
     */
    public record Verified(IdBlock block, byte[] idKeyDigest, byte[] authorKeyDigest) {}

    /** @throws IdBlockException saying which check failed */
    public static Verified verify(byte[] idBlock, byte[] idAuth, boolean authorKeyEnabled) {
        IdBlock block = IdBlock.parse(idBlock);
        IdAuthInfo auth = IdAuthInfo.parse(idAuth, authorKeyEnabled);
        if (block.version() != IdBlock.VERSION_1) {
            throw new IdBlockException(Problem.INVALID, String.format("ID block: VERSION (offset 0x%x) is %d, not %d",
                    IdBlock.VERSION, Integer.toUnsignedLong(block.version()), IdBlock.VERSION_1));
        }
        if (!verifies(auth.idBlockSig(), auth.idKey(), idBlock)) {
            throw new IdBlockException(Problem.BAD_SIGNATURE,
                    "ID_AUTH_INFO.ID_BLOCK_SIG (offset 0x40) is not the ID key's signature of the ID block");
        }
        byte[] idKeyStruct = Arrays.copyOfRange(idAuth, IdAuthInfo.ID_KEY, IdAuthInfo.ID_KEY + AmdEcdsaPublicKey.SIZE);
        byte[] authorDigest = null;
        if (authorKeyEnabled) {
            if (!verifies(auth.idKeySig(), auth.authorKey(), idKeyStruct)) {
                throw new IdBlockException(Problem.BAD_SIGNATURE,
                        "ID_AUTH_INFO.ID_KEY_SIG (offset 0x680) is not the author key's signature of the ID key");
            }
            authorDigest = AmdEcdsaPublicKey.digestOf(idAuth, IdAuthInfo.AUTHOR_KEY);
        }
        return new Verified(block, AmdEcdsaPublicKey.digestOf(idAuth, IdAuthInfo.ID_KEY), authorDigest);
    }

    /** Whether {@code signature} is {@code key}'s ECDSA P-384 SHA-384 signature of all of {@code message}. */
    private static boolean verifies(AmdEcdsaSignature signature, AmdEcdsaPublicKey key, byte[] message) {
        try {
            return signature.verifies(key.toJca(), EcdsaDigest.SHA384, message, 0, message.length);
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException("cannot verify with this key: " + e.getMessage(), e);
        }
    }
}
