package dev.vmm.devices.acpi;

/**
 * The Extended System Description Table: 64-bit pointers to every table but the FACS and DSDT (which
 * the FADT points at). OVMF does not install it (its ACPI table protocol builds its own), but it follows
 * its pointers to find the FADT and the MADT, so every table reachable from here gets installed.
 */
final class Xsdt {
    static final String SIGNATURE = "XSDT";
    static final int REVISION = 1;

    private Xsdt() {}

    /** An XSDT listing the tables at {@code offsets} of the blob {@code blob}. */
    static AcpiTable build(String blob, int... offsets) {
        TableWriter w = TableWriter.sdt(SIGNATURE, REVISION);
        for (int offset : offsets) {
            w.pointer(8, blob, offset);
        }
        return w.finish();
    }
}
