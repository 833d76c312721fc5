package dev.vmm.sev.attest;

/**
 * A certificate file or extension that cannot be read. The message reads
 * {@code <source>: <element>: <problem>}, the element being the PEM block, the certificate or the
 * extension (with its OID).
 */
public final class CertificateFormatException extends AttestationFormatException {
    public CertificateFormatException(String source, String field, String problem) {
        super(source, field, source + ": " + field + ": " + problem);
    }
}
