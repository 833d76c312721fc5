package dev.vmm.firmware.linux;

/**
 * Bytes a loader puts at a guest-physical address, followed by zeros up to {@code size} (an ELF
 * segment's bss), so that no heap array as large as the memory is needed.
 */
public record GuestBlob(String what, long address, byte[] bytes, long size) {
    public GuestBlob {
        if (size < bytes.length) {
            throw new IllegalArgumentException(what + ": size " + size + " below its " + bytes.length + " bytes");
        }
    }

    public GuestBlob(String what, long address, byte[] bytes) {
        this(what, address, bytes, bytes.length);
    }

    public long end() {
        return address + size;
    }
}
