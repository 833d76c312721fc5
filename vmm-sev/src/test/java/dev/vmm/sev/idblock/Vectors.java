package dev.vmm.sev.idblock;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;

/** The ID block test vectors in src/test/resources/idblock (virtee/sev and sev-snp-measure). */
final class Vectors {
    private Vectors() {}

    static byte[] bytes(String name) {
        try (InputStream in = Vectors.class.getResourceAsStream("/idblock/" + name)) {
            if (in == null) {
                throw new IllegalStateException("test resource idblock/" + name + " missing");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(String name) {
        return new String(bytes(name), StandardCharsets.US_ASCII);
    }

    static KeyPair key(String name) {
        return EcKeyFile.parse(text(name), name);
    }
}
