package dev.vmm.devices.acpi;

import java.util.List;

/**
 * One table as it sits in a fw_cfg blob before the firmware's loader runs: pointer fields hold offsets
 * into the blob they point to, and checksum bytes are 0 for the loader to fill in.
 *
 * @param signature the table's signature ("FACP", "RSD PTR ")
 * @param bytes the table
 * @param pointers fields the loader must turn into addresses
 * @param checksums the checksums the loader must compute, in order, after the pointers are patched
 */
record AcpiTable(String signature, byte[] bytes, List<Pointer> pointers, List<Checksum> checksums) {
    AcpiTable {
        bytes = bytes.clone();
        pointers = List.copyOf(pointers);
        checksums = List.copyOf(checksums);
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** A little-endian field at {@code offset} of {@code size} bytes that holds an offset into {@code pointee}. */
    record Pointer(int offset, int size, String pointee) {}

    /** An 8-bit checksum over {@code [start, start + length)} stored at {@code resultOffset}. */
    record Checksum(int resultOffset, int start, int length) {}
}
