package dev.vmm.app.cli;

import dev.vmm.sev.launch.ConfidentialLaunch;
import java.util.HexFormat;

/** What {@code run} prints after a confidential launch, on stderr so that the guest owns stdout. */
final class LaunchReport {
    private LaunchReport() {}

    static void print(ConfidentialLaunch.Result r) {
        System.err.println("vmm: " + r.mode().runName() + " launch via " + r.psp());
        System.err.println("vmm: launch digest " + r.digestHex());
        if (r.measurement() != null) {
            System.err.println("vmm: LAUNCH_MEASURE " + HexFormat.of().formatHex(r.measurement())
                    + " (HMAC-SHA-256 over the digest, then MNONCE)");
        }
    }
}
