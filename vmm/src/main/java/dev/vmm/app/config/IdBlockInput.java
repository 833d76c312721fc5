package dev.vmm.app.config;

import dev.vmm.sev.crypto.AmdEcdsaPublicKey;
import dev.vmm.sev.idblock.IdAuthInfo;
import dev.vmm.sev.idblock.IdBlock;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * An SEV-SNP ID block and its ID authentication structure, as {@code vmm id-block} wrote them, for
 * SNP_LAUNCH_FINISH; {@code authorKey} sets its AUTH_KEY_EN.
 */
public record IdBlockInput(byte[] idBlock, byte[] idAuth, boolean authorKey) {
    private static final String BLOCK = "confidential.id_block";
    private static final String AUTH = "confidential.id_auth";

    public static IdBlockInput read(Path block, Path auth, boolean authorKey) {
        IdBlockInput in = new IdBlockInput(ConfigFiles.read(BLOCK, block), ConfigFiles.read(AUTH, auth), authorKey);
        if (in.idBlock.length != IdBlock.SIZE) {
            throw new ConfigException(BLOCK, block + ": " + in.idBlock.length + " bytes, an ID block is " + IdBlock.SIZE);
        }
        if (in.idAuth.length != IdAuthInfo.SIZE) {
            throw new ConfigException(AUTH, auth + ": " + in.idAuth.length + " bytes, an ID auth is " + IdAuthInfo.SIZE);
        }
        boolean hasAuthor = !Arrays.equals(in.idAuth, IdAuthInfo.AUTHOR_KEY, IdAuthInfo.AUTHOR_KEY + AmdEcdsaPublicKey.SIZE,
                new byte[AmdEcdsaPublicKey.SIZE], 0, AmdEcdsaPublicKey.SIZE);
        if (authorKey && !hasAuthor) {
            throw new ConfigException("confidential.author_key_enabled", auth + " has no author key (vmm id-block "
                    + "made it without one)");
        }
        return in;
    }
}
