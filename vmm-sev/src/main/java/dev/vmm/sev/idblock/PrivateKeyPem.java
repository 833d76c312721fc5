package dev.vmm.sev.idblock;

import java.io.IOException;
import java.io.StringReader;
import org.bouncycastle.util.io.pem.PemHeader;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

/** Finds the one unencrypted private key among the PEM blocks of a key file, with BouncyCastle's PEM reader. */
final class PrivateKeyPem {
    private PrivateKeyPem() {}

    /** The private-key block of a PEM text; EC PARAMETERS before it are skipped, anything else is refused. */
    static PemObject block(String text, String source) {
        PemObject found = null;
        try (PemReader reader = new PemReader(new StringReader(text))) {
            for (PemObject block = reader.readPemObject(); block != null; block = reader.readPemObject()) {
                switch (block.getType()) {
                    case "EC PARAMETERS" -> { }   // OpenSSL's "ecparam -genkey" writes the curve before the key
                    case "ENCRYPTED PRIVATE KEY" -> throw new KeyFileException(source + ": the key is encrypted; decrypt it first "
                            + "(openssl pkcs8 -in KEY -out PLAIN)");
                    case "PRIVATE KEY", "EC PRIVATE KEY" -> {
                        if (!block.getHeaders().isEmpty()) {
                            PemHeader h = (PemHeader) block.getHeaders().getFirst();
                            throw new KeyFileException(source + ": PEM headers (" + h.getName() + ": " + h.getValue()
                                    + ") mean an encrypted key; decrypt it first (openssl ec -in KEY -out PLAIN)");
                        }
                        if (found != null) {
                            throw new KeyFileException(source + ": more than one private key");
                        }
                        found = block;
                    }
                    default -> throw new KeyFileException(source + ": a PEM " + block.getType()
                            + ", not a P-384 private key (PRIVATE KEY or EC PRIVATE KEY)");
                }
            }
        } catch (KeyFileException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new KeyFileException(source + ": " + e.getMessage());
        }
        if (found == null) {
            throw new KeyFileException(source + ": no PEM private key (-----BEGIN PRIVATE KEY----- or "
                    + "-----BEGIN EC PRIVATE KEY-----)");
        }
        return found;
    }
}
