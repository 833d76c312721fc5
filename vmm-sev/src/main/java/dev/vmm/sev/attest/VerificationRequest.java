package dev.vmm.sev.attest;

import java.time.Instant;
import java.util.Optional;

/**
 * What to verify: the report and endorsement key as file contents (so that malformed files become
 * failed checks, not aborted runs), the chain to use instead of AMD's built-in one, the product if
 * known, the time certificates must be valid at, and the owner's expected values.
 */
public record VerificationRequest(
        String reportSource, byte[] report,
        SigningKey vekKind, String vekSource, byte[] vek,
        Optional<AmdChain> chain,
        Optional<Product> product,
        Instant at,
        Expected expected) {
    public VerificationRequest {
        if (vekKind != SigningKey.VCEK && vekKind != SigningKey.VLEK) {
            throw new IllegalArgumentException("the endorsement key is a VCEK or a VLEK, not " + vekKind);
        }
    }
}
