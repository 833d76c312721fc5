package dev.vmm.devices.acpi;

/**
 * A Generic Address Structure (ACPI 6.0 §5.2.3.2): where a fixed-hardware register lives.
 *
 * @param spaceId 0 system memory, 1 system I/O
 * @param bitWidth the register's width in bits
 * @param bitOffset the register's offset in bits at {@code address}
 * @param accessSize 0 undefined (the OS uses the register width), 1 byte, 2 word, 3 dword, 4 qword
 * @param address the register's address
 */
record GenericAddress(int spaceId, int bitWidth, int bitOffset, int accessSize, long address) {
    static final int SYSTEM_IO = 1;
    static final int ACCESS_UNDEFINED = 0;
    static final int ACCESS_BYTE = 1;
    static final GenericAddress NONE = new GenericAddress(0, 0, 0, 0, 0);

    /** An I/O port register block of {@code bytes} bytes, as QEMU describes the PIIX4 PM blocks. */
    static GenericAddress io(int port, int bytes) {
        return new GenericAddress(SYSTEM_IO, 8 * bytes, 0, ACCESS_UNDEFINED, port);
    }
}
