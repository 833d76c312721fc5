package dev.vmm.devices.acpi;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes one ACPI table little-endian, field by field, and records its pointer fields and checksums.
 * {@link #sdt} starts a table with the 36-byte system description header (ACPI 6.0 §5.2.6); its length
 * is filled in by {@link #finish} and its checksum (offset 9) is left to the loader.
 */
final class TableWriter {
    static final String OEM_ID = "VMMDEV";
    static final String CREATOR_ID = "VMMJ";
    static final int OEM_REVISION = 1;
    static final int CREATOR_REVISION = 1;
    static final int HEADER_SIZE = 36;
    static final int LENGTH_OFFSET = 4;
    static final int CHECKSUM_OFFSET = 9;

    private final String signature;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final List<AcpiTable.Pointer> pointers = new ArrayList<>();
    private final List<AcpiTable.Checksum> checksums = new ArrayList<>();
    private final boolean hasHeader;

    private TableWriter(String signature, boolean hasHeader) {
        this.signature = signature;
        this.hasHeader = hasHeader;
    }

    /** A table without the standard header (FACS, RSDP): the caller writes every byte. */
    static TableWriter raw(String signature) {
        return new TableWriter(signature, false);
    }

    /** A table with the standard header; the OEM table id is "VMM" and the signature, space-padded. */
    static TableWriter sdt(String signature, int revision) {
        TableWriter w = new TableWriter(signature, true);
        w.ascii(signature, 4);
        w.u32(0); // length, set by finish()
        w.u8(revision);
        w.u8(0); // checksum, computed by the loader
        w.ascii(OEM_ID, 6);
        w.ascii("VMM" + signature, 8);
        w.u32(OEM_REVISION);
        w.ascii(CREATOR_ID, 4);
        w.u32(CREATOR_REVISION);
        return w;
    }

    int position() {
        return out.size();
    }

    TableWriter u8(int value) {
        out.write(value);
        return this;
    }

    TableWriter u16(int value) {
        return le(value, 2);
    }

    TableWriter u32(long value) {
        return le(value, 4);
    }

    TableWriter u64(long value) {
        return le(value, 8);
    }

    TableWriter zeros(int count) {
        out.writeBytes(new byte[count]);
        return this;
    }

    TableWriter bytes(byte[] data) {
        out.writeBytes(data);
        return this;
    }

    /** ASCII text padded with spaces to {@code size} bytes (signatures, OEM ids). */
    TableWriter ascii(String text, int size) {
        if (text.length() > size || !StandardCharsets.US_ASCII.newEncoder().canEncode(text)) {
            throw new IllegalArgumentException("\"" + text + "\" is not ASCII of at most " + size + " bytes");
        }
        out.writeBytes((text + " ".repeat(size - text.length())).getBytes(StandardCharsets.US_ASCII));
        return this;
    }

    /** A pointer field holding {@code offset} within the blob {@code pointee}, for the loader to relocate. */
    TableWriter pointer(int size, String pointee, long offset) {
        pointers.add(new AcpiTable.Pointer(position(), size, pointee));
        return le(offset, size);
    }

    /** A Generic Address Structure (ACPI 6.0 §5.2.3.2). */
    TableWriter gas(GenericAddress gas) {
        u8(gas.spaceId());
        u8(gas.bitWidth());
        u8(gas.bitOffset());
        u8(gas.accessSize());
        return u64(gas.address());
    }

    /** Asks the loader for a checksum of {@code [start, start + length)} at {@code resultOffset}. */
    TableWriter checksum(int resultOffset, int start, int length) {
        checksums.add(new AcpiTable.Checksum(resultOffset, start, length));
        return this;
    }

    private TableWriter le(long value, int size) {
        for (int i = 0; i < size; i++) {
            out.write((int) (value >>> 8 * i));
        }
        return this;
    }

    /** The finished table; a standard header gets its length and a whole-table checksum. */
    AcpiTable finish() {
        byte[] bytes = out.toByteArray();
        if (hasHeader) {
            int length = bytes.length;
            for (int i = 0; i < 4; i++) {
                bytes[LENGTH_OFFSET + i] = (byte) (length >>> 8 * i);
            }
            checksums.add(new AcpiTable.Checksum(CHECKSUM_OFFSET, 0, length));
        }
        return new AcpiTable(signature, bytes, pointers, checksums);
    }
}
