package dev.vmm.firmware.linux;

/**
 * A Linux kernel file as the loader sees it; the file decides which: a bzImage (the x86 boot
 * protocol's setup header at 0x1F1, entered at its 64-bit entry point) or an uncompressed ELF
 * {@code vmlinux} (entered through its PVH note, as Firecracker and Cloud Hypervisor boot it).
 */
public sealed interface KernelImage permits BzImage, ElfKernel {
    /** Where the bytes came from, for messages. */
    String source();

    /** The whole file, unchanged: what is measured and what fw_cfg hands the firmware. */
    byte[] bytes();

    static KernelImage parse(String source, byte[] bytes) {
        if (ElfKernel.isElf(bytes)) {
            return ElfKernel.parse(source, bytes);
        }
        if (BzImage.hasSetupHeader(bytes)) {
            return BzImage.parse(source, bytes);
        }
        throw new KernelException(source + ": neither a bzImage (no \"HdrS\" setup header at 0x202 with boot flag "
                + "0xAA55 at 0x1FE) nor an ELF vmlinux (no \\x7fELF magic)");
    }
}
