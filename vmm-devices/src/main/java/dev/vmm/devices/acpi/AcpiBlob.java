package dev.vmm.devices.acpi;

import java.io.ByteArrayOutputStream;

/**
 * One fw_cfg file of tables (QEMU's {@code etc/acpi/tables} or {@code etc/acpi/rsdp}) being laid out:
 * each table added is appended, and its pointer patches and checksums go to the loader script right
 * away, pointers first, so every checksum covers the patched bytes.
 */
final class AcpiBlob {
    private final String file;
    private final TableLoader loader;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** Starts the blob with its ALLOCATE command, which must precede every command naming it. */
    AcpiBlob(String file, int alignment, int zone, TableLoader loader) {
        this.file = file;
        this.loader = loader;
        loader.allocate(file, alignment, zone);
    }

    /** Appends {@code table} at the next multiple of {@code alignment}; returns its offset in the blob. */
    int add(AcpiTable table, int alignment) {
        while (out.size() % alignment != 0) {
            out.write(0);
        }
        int offset = out.size();
        out.writeBytes(table.bytes());
        for (AcpiTable.Pointer p : table.pointers()) {
            loader.addPointer(file, offset + p.offset(), p.size(), p.pointee());
        }
        for (AcpiTable.Checksum c : table.checksums()) {
            loader.addChecksum(file, offset + c.resultOffset(), offset + c.start(), c.length());
        }
        return offset;
    }

    int add(AcpiTable table) {
        return add(table, 1);
    }

    byte[] toBytes() {
        return out.toByteArray();
    }
}
