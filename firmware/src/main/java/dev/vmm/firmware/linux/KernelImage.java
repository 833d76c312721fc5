package dev.vmm.firmware.linux;

/**
 * A Linux kernel file as the loader sees it; the file decides which: a bzImage (the x86 boot
 * protocol's setup header at 0x1F1, entered at its 64-bit entry point) or an uncompressed ELF
 * {@code vmlinux} (entered through its PVH note, as Firecracker and Cloud Hypervisor boot it).
 */
public sealed interface KernelImage permits BzImage, ElfKernel {
    /** Where the bytes came from, for messages. */
    String source();

    /** The file's bytes, read by range. */
    KernelBytes file();

    /** The whole file, unchanged: what is measured and what fw_cfg hands the firmware. */
    byte[] bytes();

    static KernelImage parse(String source, byte[] bytes) {
        return parse(KernelBytes.of(source, bytes));
    }

    /** Which kind the file is, from its first bytes; only headers are read. */
    static KernelImage parse(KernelBytes file) {
        byte[] head = file.read(0, (int) Math.min(file.size(), 0x206));
        if (ElfKernel.isElf(head)) {
            return ElfKernel.parse(file);
        }
        if (BzImage.hasSetupHeader(head)) {
            return BzImage.parse(file);
        }
        throw new KernelException(file.source() + ": neither a bzImage (no \"HdrS\" setup header at 0x202 with boot flag "
                + "0xAA55 at 0x1FE) nor an ELF vmlinux (no \\x7fELF magic)");
    }
}
