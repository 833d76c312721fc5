package dev.vmm.sev.attest;

import java.util.Optional;

/**
 * Values the guest owner expects in the report. Each is optional; a short REPORT_DATA is compared as
 * its zero-padded 64-byte form (a 32-byte nonce followed by zeros is common).
 *
 * @param measurementOrigin how the expected measurement was obtained, for messages
 */
public record Expected(Optional<byte[]> measurement, String measurementOrigin, Optional<byte[]> reportData,
                       Optional<byte[]> hostData) {
    public static Expected none() {
        return new Expected(Optional.empty(), "", Optional.empty(), Optional.empty());
    }
}
