package dev.vmm.tests.linux;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A "newc" cpio archive, the format the kernel unpacks as its initramfs (Documentation/driver-api/
 * early-userspace/buffer-format.rst): /dev/console (so that /init has stdin, stdout and stderr), the
 * test's static /init, and whatever else a test adds.
 */
public final class Initramfs {
    private static final int S_IFDIR = 0040000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFCHR = 0020000;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final Map<String, Boolean> names = new LinkedHashMap<>();
    private int inode = 1;

    /** /dev, /dev/console and /init: the tests' static init (tests/src/test/kernel, built by the tests module). */
    public static Initramfs withTestInit() throws IOException {
        byte[] init;
        try (InputStream in = Initramfs.class.getResourceAsStream("/kernel/init")) {
            if (in == null) {
                throw new IllegalStateException("the test init (kernel/init) was not built");
            }
            init = in.readAllBytes();
        }
        return withInit(init);
    }

    public static Initramfs withInit(byte[] init) {
        return new Initramfs().directory("dev").node("dev/console", 5, 1).file("init", init, 0755);
    }

    public Initramfs directory(String name) {
        entry(name, S_IFDIR | 0755, new byte[0], 0, 0);
        return this;
    }

    public Initramfs node(String name, int major, int minor) {
        entry(name, S_IFCHR | 0600, new byte[0], major, minor);
        return this;
    }

    public Initramfs file(String name, byte[] data, int permissions) {
        entry(name, S_IFREG | permissions, data, 0, 0);
        return this;
    }

    public byte[] toBytes() {
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        copy.writeBytes(out.toByteArray());
        writeEntry(copy, "TRAILER!!!", 0, new byte[0], 0, 0, 0);
        return copy.toByteArray();
    }

    private void entry(String name, int mode, byte[] data, int major, int minor) {
        if (names.put(name, true) != null) {
            throw new IllegalArgumentException(name + " is in the archive already");
        }
        writeEntry(out, name, ++inode, data, mode, major, minor);
    }

    private static void writeEntry(ByteArrayOutputStream to, String name, int inode, byte[] data, int mode, int major,
                                   int minor) {
        byte[] path = (name + "\0").getBytes(StandardCharsets.US_ASCII);
        int nlink = (mode & S_IFDIR) != 0 ? 2 : 1;
        int[] fields = {inode, mode, 0, 0, nlink, 0, data.length, 0, 0, major, minor, path.length, 0};
        StringBuilder h = new StringBuilder("070701");
        for (int f : fields) {
            h.append(String.format("%08x", f));
        }
        to.writeBytes(h.toString().getBytes(StandardCharsets.US_ASCII));
        to.writeBytes(path);
        pad(to);
        to.writeBytes(data);
        pad(to);
    }

    /** Headers with their names, and data, each end on a 4-byte boundary. */
    private static void pad(ByteArrayOutputStream to) {
        while (to.size() % 4 != 0) {
            to.write(0);
        }
    }
}
