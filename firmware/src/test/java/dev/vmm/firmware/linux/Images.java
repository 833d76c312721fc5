package dev.vmm.firmware.linux;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Kernel files written field by field, for the parser and loader tests. */
final class Images {
    private Images() {}

    /** A bzImage header as Linux 6.12's header.S writes it, then {@code kernelBytes} of protected-mode kernel. */
    static ByteBuffer bzImage(int setupSects, int kernelBytes) {
        int setup = ((setupSects == 0 ? 4 : setupSects) + 1) * 512;
        ByteBuffer b = ByteBuffer.allocate(setup + kernelBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0x1f1, (byte) setupSects);
        b.putShort(0x1fe, (short) 0xaa55);
        b.put(0x200, (byte) 0xeb).put(0x201, (byte) 0x6a);       // header ends at 0x26c
        b.putInt(0x202, 0x53726448);
        b.putShort(0x206, (short) 0x020f);
        b.put(0x211, (byte) 0x01);                               // LOADED_HIGH
        b.putInt(0x214, 0x100000);
        b.putInt(0x22c, 0x7fffffff);
        b.putInt(0x230, 0x200000);
        b.put(0x234, (byte) 1);                                  // relocatable
        b.putShort(0x236, (short) 0x3);                          // XLF_KERNEL_64 | XLF_CAN_BE_LOADED_ABOVE_4G
        b.putInt(0x238, 2047);
        b.putLong(0x258, 0x1000000);
        b.putInt(0x260, 0x800000);                               // init_size: 8 MiB
        for (int i = setup; i < b.capacity(); i++) {
            b.put(i, (byte) i);
        }
        return b;
    }

    static byte[] bytes(ByteBuffer b) {
        return b.array();
    }

    /**
     * An ELF64 x86-64 executable: one PT_LOAD of {@code fileSize} bytes (then bss to {@code memSize}) at
     * {@code paddr}, and a PT_NOTE holding Xen notes (a type 1 note, then PHYS32_ENTRY with an 8-byte value).
     */
    static ByteBuffer elf(long paddr, int fileSize, long memSize, long entry, boolean withPvhNote) {
        int phoff = 64;
        int notes = phoff + 2 * 56;
        int noteBytes = withPvhNote ? 2 * (12 + 4 + 8) : 12 + 4 + 8;
        int segment = (notes + noteBytes + 15) & ~15;
        ByteBuffer b = ByteBuffer.allocate(segment + fileSize).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1});
        b.putShort(16, (short) 2).putShort(18, (short) 62).putInt(20, 1);
        b.putLong(32, phoff).putShort(52, (short) 64).putShort(54, (short) 56).putShort(56, (short) 2);
        b.putInt(phoff, 1).putLong(phoff + 8, segment).putLong(phoff + 16, 0xffffffff81000000L)
                .putLong(phoff + 24, paddr).putLong(phoff + 32, fileSize).putLong(phoff + 40, memSize);
        b.putInt(phoff + 56, 4).putLong(phoff + 56 + 8, notes).putLong(phoff + 56 + 32, noteBytes);
        int p = notes;
        p = note(b, p, 1, 0xdead);                  // XEN_ELFNOTE_INFO: skipped
        if (withPvhNote) {
            note(b, p, ElfKernel.XEN_ELFNOTE_PHYS32_ENTRY, entry);
        }
        for (int i = 0; i < fileSize; i++) {
            b.put(segment + i, (byte) (i * 3));
        }
        return b;
    }

    private static int note(ByteBuffer b, int at, int type, long value) {
        b.putInt(at, 4).putInt(at + 4, 8).putInt(at + 8, type);
        b.put(at + 12, "Xen\0".getBytes(StandardCharsets.US_ASCII));
        b.putLong(at + 16, value);
        return at + 24;
    }
}
