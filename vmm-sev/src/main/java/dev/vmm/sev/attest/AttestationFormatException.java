package dev.vmm.sev.attest;

import dev.vmm.core.VmmException;

/**
 * Malformed attestation input: a report or certificate whose bytes do not follow the SEV-SNP firmware
 * ABI or AMD's certificate profile. Parsers in this package throw only this type (never an index or
 * decoding error), so callers can tell bad input from bugs.
 */
public abstract sealed class AttestationFormatException extends VmmException
        permits ReportFormatException, CertificateFormatException {
    private final String source;
    private final String field;

    AttestationFormatException(String source, String field, String message) {
        super(message);
        this.source = source;
        this.field = field;
    }

    /** Where the bytes came from (a file name), as given to the parser. */
    public String source() {
        return source;
    }

    /** The field or element that is wrong, in AMD's terms (e.g. {@code VERSION}, {@code blSPL}). */
    public String field() {
        return field;
    }
}
