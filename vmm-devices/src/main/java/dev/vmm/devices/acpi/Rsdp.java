package dev.vmm.devices.acpi;

/**
 * The Root System Description Pointer (ACPI 6.0 §5.2.5), revision 2: 36 bytes, pointing at the XSDT
 * only (RsdtAddress 0). Two checksums: the first over the ACPI 1.0 part (20 bytes), the extended one
 * over all 36, which includes the first, so the loader must compute them in that order.
 */
final class Rsdp {
    static final String SIGNATURE = "RSD PTR ";
    static final int REVISION = 2;
    static final int LENGTH = 36;
    static final int V1_LENGTH = 20;
    static final int CHECKSUM = 8;
    static final int RSDT_ADDRESS = 16;
    static final int XSDT_ADDRESS = 24;
    static final int EXTENDED_CHECKSUM = 32;
    static final int ALIGNMENT = 16;

    private Rsdp() {}

    static AcpiTable build(String xsdtBlob, int xsdtOffset) {
        TableWriter w = TableWriter.raw(SIGNATURE)
                .ascii(SIGNATURE, 8)
                .u8(0) // checksum
                .ascii(TableWriter.OEM_ID, 6)
                .u8(REVISION)
                .u32(0) // RsdtAddress: there is no RSDT
                .u32(LENGTH)
                .pointer(8, xsdtBlob, xsdtOffset)
                .u8(0) // extended checksum
                .zeros(3);
        return w.checksum(CHECKSUM, 0, V1_LENGTH)
                .checksum(EXTENDED_CHECKSUM, 0, LENGTH)
                .finish();
    }
}
