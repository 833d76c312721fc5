package dev.vmm.sev.attest;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * X.509 certificates from file contents: one DER certificate, or PEM with one or more CERTIFICATE
 * blocks (KDS serves VCEKs as DER and chains as PEM). Anything else is a {@link CertificateFormatException}.
 */
public final class CertificateFiles {
    private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
    private static final String PEM_MARK = "-----BEGIN ";

    private CertificateFiles() {}

    public static List<X509Certificate> read(String source, byte[] bytes) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        if (!text.contains(PEM_MARK)) {
            return List.of(der(source, "DER certificate", bytes));
        }
        List<X509Certificate> certs = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        int end = 0;
        while (m.find()) {
            String element = "PEM block " + (certs.size() + 1);
            if (!m.group(1).equals("CERTIFICATE")) {
                throw new CertificateFormatException(source, element, "is " + m.group(1) + ", not a CERTIFICATE");
            }
            byte[] der;
            try {
                der = Base64.getMimeDecoder().decode(m.group(2).strip());
            } catch (IllegalArgumentException e) {
                throw new CertificateFormatException(source, element, "bad base64: " + e.getMessage());
            }
            certs.add(der(source, element, der));
            end = m.end();
        }
        if (certs.isEmpty() || text.indexOf(PEM_MARK, end) >= 0) {
            throw new CertificateFormatException(source, "PEM block " + (certs.size() + 1), "has no matching END line");
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
        X509Certificate cert;
        try {
            cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException e) {
            throw new CertificateFormatException(source, element, "not an X.509 certificate: " + e.getMessage());
        } catch (RuntimeException e) {
            // The JDK's X.509 decoder lets some malformed encodings escape as runtime exceptions.
            throw new CertificateFormatException(source, element, "not an X.509 certificate: " + e);
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
}
