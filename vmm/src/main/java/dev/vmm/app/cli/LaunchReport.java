package dev.vmm.app.cli;

import dev.vmm.sev.crypto.AmdEcdsaPublicKey;
import dev.vmm.sev.idblock.IdAuthInfo;
import dev.vmm.sev.launch.ConfidentialBoot;
import dev.vmm.sev.launch.ConfidentialLaunch;
import java.util.HexFormat;

/** What {@code run} prints after a confidential launch, on stderr so that the guest owns stdout. */
final class LaunchReport {
    private LaunchReport() {}

    static void print(ConfidentialBoot.Launched launched) {
        ConfidentialLaunch.Result r = launched.result();
        ConfidentialLaunch.Options id = launched.settings().options();
        System.err.println("vmm: " + r.mode().runName() + " launch via " + r.psp());
        System.err.println("vmm: launch digest " + r.digestHex());
        if (r.measurement() != null) {
            System.err.println("vmm: LAUNCH_MEASURE " + HexFormat.of().formatHex(r.measurement())
                    + " (HMAC-SHA-256 over the digest, then MNONCE)");
        }
        if (id.idBlock() != null) {
            // The digests attestation reports of this guest carry (ID_KEY_DIGEST, AUTHOR_KEY_DIGEST).
            System.err.println("vmm: ID block accepted: id_key_digest "
                    + HexFormat.of().formatHex(AmdEcdsaPublicKey.digestOf(id.idAuth(), IdAuthInfo.ID_KEY))
                    + (id.authorKey() ? ", author_key_digest "
                    + HexFormat.of().formatHex(AmdEcdsaPublicKey.digestOf(id.idAuth(), IdAuthInfo.AUTHOR_KEY)) : ""));
        }
    }
}
