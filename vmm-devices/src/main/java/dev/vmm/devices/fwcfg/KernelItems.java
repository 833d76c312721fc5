package dev.vmm.devices.fwcfg;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * QEMU's fw_cfg items for {@code -kernel}, {@code -initrd} and {@code -append}, which OVMF's
 * QemuKernelLoaderFsDxe and X86QemuLoadImageLib read (they ignore the ADDR items): the setup and the
 * kernel as sizes and data, the initrd, and the command line with its NUL. The bytes are the file's,
 * unpatched, as QEMU serves them to a confidential guest, so the SEV hashes of the whole file match.
 */
public final class KernelItems {
    public static final int KERNEL_SIZE = 0x08;
    public static final int INITRD_SIZE = 0x0b;
    public static final int KERNEL_DATA = 0x11;
    public static final int INITRD_DATA = 0x12;
    public static final int CMDLINE_SIZE = 0x14;
    public static final int CMDLINE_DATA = 0x15;
    public static final int SETUP_SIZE = 0x17;
    public static final int SETUP_DATA = 0x18;

    private KernelItems() {}

    /**
     * @param setup  the real-mode setup (the first (setup_sects + 1) * 512 bytes of a bzImage; empty for
     *               a file that is not one, which the firmware then gets whole as the kernel)
     * @param kernel the rest of the file
     * @param initrd empty for none
     */
    public static void addTo(FwCfg fwCfg, byte[] setup, byte[] kernel, byte[] initrd, String cmdline) {
        fwCfg.addItem(SETUP_SIZE, le32(setup.length));
        fwCfg.addItem(SETUP_DATA, setup);
        fwCfg.addItem(KERNEL_SIZE, le32(kernel.length));
        fwCfg.addItem(KERNEL_DATA, kernel);
        if (initrd.length > 0) {
            fwCfg.addItem(INITRD_SIZE, le32(initrd.length));
            fwCfg.addItem(INITRD_DATA, initrd);
        }
        byte[] text = (cmdline == null ? "" : cmdline).getBytes(StandardCharsets.UTF_8);
        byte[] line = new byte[text.length + 1];
        System.arraycopy(text, 0, line, 0, text.length);
        fwCfg.addItem(CMDLINE_SIZE, le32(line.length));
        fwCfg.addItem(CMDLINE_DATA, line);
    }

    private static byte[] le32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }
}
