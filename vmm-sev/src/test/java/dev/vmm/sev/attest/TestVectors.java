package dev.vmm.sev.attest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.HexFormat;

/** The real AMD vectors and the synthetic chain in src/test/resources/attest (see the README there). */
final class TestVectors {
    /** The README's date for every verified vector except the VLEK. */
    static final Instant VERIFIED_AT = Instant.parse("2026-06-01T00:00:00Z");
    /** The VLEK expired on 2025-12-10. */
    static final Instant VLEK_VERIFIED_AT = Instant.parse("2025-06-01T00:00:00Z");

    private TestVectors() {}

    static byte[] bytes(String path) {
        try (InputStream in = TestVectors.class.getResourceAsStream("/attest/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource attest/" + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static AttestationReport report(String path) {
        return AttestationReport.parse(path, bytes(path));
    }

    static VekCertificate vek(String path) {
        return VekCertificate.parse(path, bytes(path));
    }

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    static byte[] flip(byte[] b, int offset, int mask) {
        byte[] c = b.clone();
        c[offset] ^= (byte) mask;
        return c;
    }
}
