package dev.vmm.app.config;

import dev.vmm.firmware.FirmwareImage;
import dev.vmm.core.io.InputFile;
import dev.vmm.core.io.InputFileException;
import dev.vmm.firmware.linux.KernelBytes;
import dev.vmm.firmware.linux.KernelException;
import dev.vmm.firmware.linux.KernelImage;
import java.nio.file.Path;

/**
 * The payload's files: the firmware (null for a direct kernel boot), the kernel (null without one), the
 * initrd (empty without one) and the command line. With firmware, the kernel and initrd are read once,
 * whole, and every consumer takes its bytes from here (fw_cfg, the SEV hashes table), so that what is
 * measured is what boots. A direct boot measures nothing: its kernel and initrd stay on disk, the
 * kernel's headers are read piecewise, its segments and the initrd straight into guest RAM (see
 * {@link KernelBytes}), and the VMM never holds them.
 */
public record Payload(FirmwareImage firmware, KernelBytes kernel, KernelBytes initrd, String cmdline) {
    /** A kernel or initrd larger than this cannot be placed below 4 GiB anyway. */
    static final long MAX_FILE = (2L << 30) - 16;

    public static Payload read(PayloadConfig p) {
        FirmwareImage firmware = p.firmware() != null ? FirmwareImage.read(p.firmware())
                : p.kernel() == null ? FirmwareImage.testGuest() : null;
        KernelBytes kernel = p.kernel() == null ? null : file("payload.kernel", p.kernel(), firmware);
        KernelBytes initrd = p.initrd() == null ? KernelBytes.of("initrd", new byte[0])
                : file("payload.initrd", p.initrd(), firmware);
        return new Payload(firmware, kernel, initrd, p.cmdline());
    }

    /** Left on disk for a direct boot; read whole now when firmware is given it (and perhaps measures it). */
    private static KernelBytes file(String field, Path file, FirmwareImage firmware) {
        return firmware == null ? onDisk(field, file) : KernelBytes.of(file.toString(), bytes(field, file));
    }

    /** A direct kernel boot: a kernel and no firmware to load it. */
    public boolean directKernel() {
        return kernel != null && firmware == null;
    }

    /** The kernel file's name, for messages. */
    public String kernelSource() {
        return kernel == null ? null : kernel.source();
    }

    /** The whole kernel file (read now if it is on disk). */
    public byte[] kernelBytes() {
        return kernel == null ? null : kernel.all();
    }

    /** The whole initrd (empty without one; read now if it is on disk). */
    public byte[] initrdBytes() {
        return initrd.all();
    }

    /** The kernel parsed as the loader needs it (a bzImage or a PVH ELF); the error names the file and field. */
    public KernelImage kernelImage() {
        return KernelImage.parse(kernel);
    }

    static byte[] bytes(String field, Path file) {
        try {
            return ConfigFiles.read(field, file, MAX_FILE);
        } catch (OutOfMemoryError e) {
            throw new ConfigException(field, file + ": does not fit the VMM's heap; give it more with VMM_JAVA_OPTS=-Xmx...");
        }
    }

    /** A regular file of at most {@link #MAX_FILE} bytes, checked now and read when it is loaded. */
    private static KernelBytes onDisk(String field, Path file) {
        long size;
        try {
            size = InputFile.requireRegular(file, "");
        } catch (InputFileException e) {
            throw new ConfigException(field, e.getMessage());
        }
        if (size > MAX_FILE) {
            throw new ConfigException(field, file + ": " + size + " bytes; a file is at most " + MAX_FILE + " bytes");
        }
        try {
            return KernelBytes.onDisk(file.toString(), file);
        } catch (KernelException e) {
            throw new ConfigException(field, e.getMessage());
        }
    }
}
