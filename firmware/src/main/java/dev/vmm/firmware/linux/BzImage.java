package dev.vmm.firmware.linux;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A bzImage checked against the 64-bit boot protocol (Documentation/arch/x86/boot.rst): protocol 2.12
 * or later, loaded high, with a 64-bit entry point. The file is the real-mode setup ({@link #setupSize()}
 * bytes: the boot sector and {@code setup_sects} sectors) followed by the protected-mode kernel.
 *
 * @param headerEnd where the setup header ends in the file: 0x202 plus the byte at 0x201
 */
public record BzImage(String source, KernelBytes file, int version, int setupSize, int headerEnd, int loadflags,
                      int xloadflags, long cmdlineSize, long initrdAddrMax, long kernelAlignment, boolean relocatable,
                      long prefAddress, long initSize) implements KernelImage {
    /** 2.12: the first version with xloadflags and the 64-bit entry (XLF_KERNEL_64). */
    public static final int MIN_VERSION = 0x020c;
    /** The 64-bit entry point's offset from the protected-mode kernel's load address. */
    public static final int ENTRY_64 = 0x200;
    static final int BOOT_FLAG = 0x1fe;
    static final int HEADER_MAGIC_AT = 0x202;
    static final int HEADER_MAGIC = 0x53726448;    // "HdrS"
    private static final int SECTOR = 512;
    /** setup_sects 0 means 4, for old kernels. */
    private static final int DEFAULT_SETUP_SECTS = 4;
    /** The fields of protocol 2.12 reach init_size, which ends at 0x264. */
    private static final int PROTOCOL_2_12_END = 0x264;
    /** Where the zero page's setup header hole ends (boot_params.edd_mbr_sig_buffer). */
    private static final int HEADER_LIMIT = 0x290;

    /** Whether {@code b} carries the boot protocol's setup header (boot flag and "HdrS"). */
    public static boolean hasSetupHeader(byte[] b) {
        return b.length >= HEADER_MAGIC_AT + 4 && u16(b, BOOT_FLAG) == 0xaa55 && u32(b, HEADER_MAGIC_AT) == HEADER_MAGIC;
    }

    public static BzImage parse(String source, byte[] bytes) {
        return parse(KernelBytes.of(source, bytes));
    }

    /** Reads the setup header; the protected-mode kernel stays where it is. */
    public static BzImage parse(KernelBytes file) {
        String source = file.source();
        long size = file.size();
        byte[] b = file.read(0, (int) Math.min(size, HEADER_LIMIT));
        if (!hasSetupHeader(b)) {
            throw new KernelException(source + ": not a bzImage (no \"HdrS\" at 0x202)");
        }
        int version = u16(b, 0x206);
        if (version < MIN_VERSION) {
            throw new KernelException(String.format("%s: boot protocol %d.%02d; the 64-bit entry needs 2.12 or later "
                    + "(setup header field version)", source, version >> 8, version & 0xff));
        }
        int headerEnd = HEADER_MAGIC_AT + (b[0x201] & 0xff);
        if (headerEnd < PROTOCOL_2_12_END || headerEnd > HEADER_LIMIT || size < headerEnd) {
            throw new KernelException(String.format("%s: the setup header ends at 0x%x (the jump at 0x200 says so), "
                    + "outside 0x%x..0x%x or the file", source, headerEnd, PROTOCOL_2_12_END, HEADER_LIMIT));
        }
        int sects = b[0x1f1] & 0xff;
        int setupSize = ((sects == 0 ? DEFAULT_SETUP_SECTS : sects) + 1) * SECTOR;
        if (setupSize >= size) {
            throw new KernelException(source + ": setup_sects " + sects + " says the setup is " + setupSize
                    + " bytes, but the file has " + size + ": no protected-mode kernel follows");
        }
        int loadflags = b[0x211] & 0xff;
        if ((loadflags & BootParamsLayout.LOADED_HIGH) == 0) {
            throw new KernelException(source + ": loadflags 0x" + Integer.toHexString(loadflags)
                    + " lacks LOADED_HIGH: a zImage loaded at 0x10000 cannot be entered in 64-bit mode");
        }
        int xloadflags = u16(b, 0x236);
        if ((xloadflags & BootParamsLayout.XLF_KERNEL_64) == 0) {
            throw new KernelException(source + ": xloadflags 0x" + Integer.toHexString(xloadflags)
                    + " lacks XLF_KERNEL_64: the kernel has no 64-bit entry point");
        }
        long alignment = u32(b, 0x230);
        if (alignment == 0 || (alignment & (alignment - 1)) != 0) {
            throw new KernelException(source + ": kernel_alignment 0x" + Long.toHexString(alignment)
                    + " is not a power of two");
        }
        long cmdlineSize = u32(b, 0x238);
        long initrdMax = u32(b, 0x22c);
        boolean relocatable = b[0x234] != 0;
        long pref = u64(b, 0x258);
        long initSize = u32(b, 0x260);
        return new BzImage(source, file, version, setupSize, headerEnd, loadflags, xloadflags, cmdlineSize, initrdMax,
                alignment, relocatable, pref, initSize);
    }

    @Override
    public byte[] bytes() {
        return file.all();
    }

    /** The protected-mode kernel's length: everything after the setup. */
    public long protectedModeSize() {
        return file.size() - setupSize;
    }

    /** The protected-mode kernel's bytes (a copy). */
    public byte[] protectedModeKernel() {
        return file.read(setupSize, Math.toIntExact(protectedModeSize()));
    }

    /** The setup (boot sector and setup sectors): what QEMU's fw_cfg SETUP_DATA holds. */
    public byte[] setup() {
        return file.read(0, setupSize);
    }

    /** The setup header as the file has it, from 0x1F1: what a loader copies into the zero page. */
    public byte[] setupHeader() {
        return file.read(BootParamsLayout.HDR, headerEnd - (int) BootParamsLayout.HDR);
    }

    /** Memory the kernel needs from its load address (init_size, or at least its own size). */
    public long memorySize() {
        return Math.max(initSize, protectedModeSize());
    }

    public boolean canBeLoadedAbove4G() {
        return (xloadflags & BootParamsLayout.XLF_CAN_BE_LOADED_ABOVE_4G) != 0;
    }

    private static int u16(byte[] b, int at) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getShort(at) & 0xffff;
    }

    private static long u32(byte[] b, int at) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt(at) & 0xffff_ffffL;
    }

    private static long u64(byte[] b, int at) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong(at);
    }

    @Override
    public String toString() {
        return String.format("bzImage %s (protocol %d.%02d, %d bytes)", source, version >> 8, version & 0xff, file.size());
    }
}
