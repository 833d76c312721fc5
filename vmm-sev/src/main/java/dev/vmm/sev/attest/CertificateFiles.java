package dev.vmm.sev.attest;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemReader;

/**
 * X.509 certificates from file contents: one DER certificate, or PEM with one or more CERTIFICATE
 * blocks (KDS serves VCEKs as DER and chains as PEM), read with BouncyCastle's PEM reader and the
 * JDK's X.509 decoder. Anything else is a {@link CertificateFormatException}.
 */
public final class CertificateFiles {
    private static final String PEM_MARK = "-----BEGIN ";

    private CertificateFiles() {}

    public static List<X509Certificate> read(String source, byte[] bytes) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        if (!text.contains(PEM_MARK)) {
            return List.of(der(source, "DER certificate", bytes));
        }
        List<X509Certificate> certs = new ArrayList<>();
        try (PemReader reader = new PemReader(new StringReader(text))) {
            for (PemObject block = reader.readPemObject(); block != null; block = reader.readPemObject()) {
                String element = "PEM block " + (certs.size() + 1);
                if (!block.getType().equals("CERTIFICATE")) {
                    throw new CertificateFormatException(source, element, "is " + block.getType() + ", not a CERTIFICATE");
                }
                certs.add(der(source, element, block.getContent()));
            }
        } catch (CertificateFormatException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new CertificateFormatException(source, "PEM block " + (certs.size() + 1), e.getMessage());
        }
        // BouncyCastle skips a BEGIN line it does not recognise (indented, say): a chain must not lose a certificate so.
        int begins = text.split(PEM_MARK, -1).length - 1;
        if (certs.size() != begins) {
            throw new CertificateFormatException(source, "PEM block " + (certs.size() + 1),
                    "a BEGIN line that does not start its line or does not end in -----");
        }
        return certs;
    }

    /** Exactly one certificate. */
    public static X509Certificate readOne(String source, byte[] bytes) {
        List<X509Certificate> certs = read(source, bytes);
        if (certs.size() != 1) {
            throw new CertificateFormatException(source, "file", certs.size() + " certificates; expected one");
        }
        return certs.getFirst();
    }

    private static X509Certificate der(String source, String element, byte[] der) {
        if (der.length == 0) {
            throw new CertificateFormatException(source, element, "empty, not a certificate");
        }
        if (der[0] != 0x30) {
            throw new CertificateFormatException(source, element, String.format("not a certificate: neither PEM (no "
                    + "-----BEGIN line) nor DER (which starts with a SEQUENCE, 0x30; this starts with 0x%02x)", der[0]));
        }
        X509Certificate cert;
        try {
            cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException e) {
            throw new CertificateFormatException(source, element, "not an X.509 certificate: " + innermost(e));
        } catch (RuntimeException e) {
            // The JDK's X.509 decoder lets some malformed encodings escape as runtime exceptions.
            throw new CertificateFormatException(source, element, "not an X.509 certificate: " + innermost(e));
        }
        try {
            if (!Arrays.equals(cert.getEncoded(), der)) {
                throw new CertificateFormatException(source, element, (der.length - cert.getEncoded().length)
                        + " bytes after the certificate");
            }
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new CertificateFormatException(source, element, e.getMessage());
        }
        return cert;
    }

    /** The decoder's own words ("Empty input", "DerInputStream.getLength(): lengthTag=..."), not its wrappers'. */
    private static String innermost(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return m.replaceFirst("^(Could not parse certificate: )?(java\\.io\\.IOException: )?", "");
    }
}
