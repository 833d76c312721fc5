package dev.vmm.firmware.ovmf;

import dev.vmm.firmware.FirmwareException;

/**
 * An OVMF image whose footer table or SEV metadata is malformed. The message reads
 * {@code <source>: <field> at offset 0x..: <problem>}; the offset is a byte offset into the image.
 */
public class OvmfParseException extends FirmwareException {
    private final String source;
    private final long offset;
    private final String field;

    public OvmfParseException(String source, long offset, String field, String problem) {
        super(source + ": " + field + " at offset 0x" + Long.toHexString(offset) + ": " + problem);
        this.source = source;
        this.offset = offset;
        this.field = field;
    }

    public String source() {
        return source;
    }

    public long offset() {
        return offset;
    }

    public String field() {
        return field;
    }
}
