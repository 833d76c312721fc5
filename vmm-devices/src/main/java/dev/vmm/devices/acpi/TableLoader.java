package dev.vmm.devices.acpi;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The script of QEMU's BIOS linker/loader, the fw_cfg file {@code etc/table-loader}: 128-byte
 * little-endian commands, a u32 type then the command's fields (edk2 OvmfPkg QemuLoader.h). The firmware
 * runs them in order: ALLOCATE copies a fw_cfg file into memory, ADD_POINTER adds a blob's address to
 * a field that holds an offset into it, ADD_CHECKSUM stores an 8-bit checksum. Whatever a command
 * refers to must be allocated by an earlier one.
 */
final class TableLoader {
    static final String FILE = "etc/table-loader";
    static final int COMMAND_SIZE = 128;
    static final int FILE_NAME_SIZE = 56;

    static final int ALLOCATE = 1;
    static final int ADD_POINTER = 2;
    static final int ADD_CHECKSUM = 3;

    /** ALLOCATE zones: anywhere (OVMF: below 4 GiB when any pointer to the blob is narrower than 8 bytes). */
    static final int ZONE_HIGH = 1;
    /** The 0xE0000-0xFFFFF F-segment where legacy OSes scan for the RSDP (OVMF ignores the zone). */
    static final int ZONE_FSEG = 2;
    /** OVMF refuses alignments above a page. */
    static final int MAX_ALIGNMENT = 4096;

    private final ByteArrayOutputStream script = new ByteArrayOutputStream();

    /** Copy {@code file} into memory at a multiple of {@code alignment} in {@code zone}. */
    TableLoader allocate(String file, int alignment, int zone) {
        if (Integer.bitCount(alignment) != 1 || alignment > MAX_ALIGNMENT) {
            throw new IllegalArgumentException("loader alignment must be a power of two up to 4096: " + alignment);
        }
        return append(command(ALLOCATE).put(name(file)).putInt(alignment).put((byte) zone));
    }

    /**
     * Add the address of {@code pointee} to the {@code size}-byte field at {@code offset} of
     * {@code pointer}, which holds an offset into {@code pointee}.
     */
    TableLoader addPointer(String pointer, int offset, int size, String pointee) {
        if (size != 1 && size != 2 && size != 4 && size != 8) {
            throw new IllegalArgumentException("loader pointers are 1, 2, 4 or 8 bytes, not " + size);
        }
        return append(command(ADD_POINTER).put(name(pointer)).put(name(pointee)).putInt(offset).put((byte) size));
    }

    /**
     * Store at {@code resultOffset} of {@code file} the byte that makes {@code [start, start + length)}
     * sum to 0. The firmware sums the stored byte too, so it must be 0 beforehand.
     */
    TableLoader addChecksum(String file, int resultOffset, int start, int length) {
        return append(command(ADD_CHECKSUM).put(name(file)).putInt(resultOffset).putInt(start).putInt(length));
    }

    byte[] toBytes() {
        return script.toByteArray();
    }

    private static ByteBuffer command(int type) {
        return ByteBuffer.allocate(COMMAND_SIZE).order(ByteOrder.LITTLE_ENDIAN).putInt(type);
    }

    private TableLoader append(ByteBuffer command) {
        script.writeBytes(command.array());
        return this;
    }

    /** A NUL-padded 56-byte file name; OVMF rejects a name whose last byte is not NUL. */
    private static byte[] name(String file) {
        byte[] ascii = file.getBytes(StandardCharsets.US_ASCII);
        if (ascii.length >= FILE_NAME_SIZE) {
            throw new IllegalArgumentException("fw_cfg file name longer than 55 bytes: " + file);
        }
        byte[] out = new byte[FILE_NAME_SIZE];
        System.arraycopy(ascii, 0, out, 0, ascii.length);
        return out;
    }
}
