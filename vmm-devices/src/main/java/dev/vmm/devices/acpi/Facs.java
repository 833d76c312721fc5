package dev.vmm.devices.acpi;

/**
 * The Firmware ACPI Control Structure (ACPI 6.0 §5.2.10): 64 bytes, no checksum, 64-byte aligned. It
 * holds the waking vector and the global lock; with no S3 and no SMM firmware, all of it starts at zero.
 */
final class Facs {
    static final String SIGNATURE = "FACS";
    static final int LENGTH = 64;
    static final int ALIGNMENT = 64;
    /** ACPI 6.0 FACS version. */
    static final int VERSION = 2;

    private Facs() {}

    static AcpiTable build() {
        return TableWriter.raw(SIGNATURE)
                .ascii(SIGNATURE, 4)
                .u32(LENGTH)
                .u32(0) // hardware signature: no hardware change to report across S4
                .u32(0) // firmware waking vector (no S3)
                .u32(0) // global lock
                .u32(0) // flags: no S4BIOS, no 64-bit wake
                .u64(0) // X firmware waking vector
                .u8(VERSION)
                .zeros(3)
                .u32(0) // OSPM flags
                .zeros(24)
                .finish();
    }
}
