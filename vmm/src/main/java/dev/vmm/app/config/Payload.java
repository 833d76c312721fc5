package dev.vmm.app.config;

import dev.vmm.firmware.FirmwareImage;
import dev.vmm.firmware.linux.KernelImage;
import java.nio.file.Path;

/**
 * The payload's files, read once: the firmware (null for a direct kernel boot), the kernel's bytes
 * (null without one), the initrd (empty without one) and the command line. Every consumer takes its
 * bytes from here (the loader, fw_cfg, the SEV hashes table), so what is measured is what boots.
 *
 * @param kernelSource the kernel file's name, for messages
 */
public record Payload(FirmwareImage firmware, String kernelSource, byte[] kernel, byte[] initrd, String cmdline) {
    /** A kernel or initrd larger than this cannot be placed below 4 GiB anyway. */
    static final long MAX_FILE = (2L << 30) - 16;

    public static Payload read(PayloadConfig p) {
        byte[] kernel = p.kernel() == null ? null : bytes("payload.kernel", p.kernel());
        byte[] initrd = p.initrd() == null ? new byte[0] : bytes("payload.initrd", p.initrd());
        FirmwareImage firmware = p.firmware() != null ? FirmwareImage.read(p.firmware())
                : kernel == null ? FirmwareImage.testGuest() : null;
        return new Payload(firmware, p.kernel() == null ? null : p.kernel().toString(), kernel, initrd, p.cmdline());
    }

    /** A direct kernel boot: a kernel and no firmware to load it. */
    public boolean directKernel() {
        return kernel != null && firmware == null;
    }

    /** The kernel parsed as the loader needs it (a bzImage or a PVH ELF); the error names the file and field. */
    public KernelImage kernelImage() {
        return KernelImage.parse(kernelSource, kernel);
    }

    static byte[] bytes(String field, Path file) {
        try {
            return ConfigFiles.read(field, file, MAX_FILE);
        } catch (OutOfMemoryError e) {
            throw new ConfigException(field, file + ": does not fit the VMM's heap; give it more with VMM_JAVA_OPTS=-Xmx...");
        }
    }
}
