package dev.vmm.sev.attest;

/**
 * An ATTESTATION_REPORT that cannot be read. The message reads
 * {@code <source>: <FIELD> at offset 0x..: <problem>}; the offset is a byte offset into the report.
 */
public final class ReportFormatException extends AttestationFormatException {
    private final int offset;

    public ReportFormatException(String source, int offset, String field, String problem) {
        super(source, field, source + ": " + field + " at offset 0x" + Integer.toHexString(offset) + ": " + problem);
        this.offset = offset;
    }

    public int offset() {
        return offset;
    }
}
