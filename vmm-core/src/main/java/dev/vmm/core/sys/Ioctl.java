package dev.vmm.core.sys;

/**
 * An ioctl request number with the name of its C macro. Numbers are computed the way the kernel's
 * {@code _IO/_IOR/_IOW/_IOWR} macros do (asm-generic/ioctl.h), taking the size from the Java layout
 * of the struct the header names; the ABI check compares each with the macro.
 */
public record Ioctl(String name, long request) {
    private static final int NRSHIFT = 0;
    private static final int TYPESHIFT = 8;
    private static final int SIZESHIFT = 16;
    private static final int DIRSHIFT = 30;
    private static final long DIR_NONE = 0;
    private static final long DIR_WRITE = 1;
    private static final long DIR_READ = 2;
    private static final long SIZE_MAX = (1 << 14) - 1;

    public static Ioctl io(String name, int type, int nr) {
        return new Ioctl(name, encode(DIR_NONE, type, nr, 0));
    }

    /** Kernel writes (copy to user). */
    public static Ioctl ior(String name, int type, int nr, long size) {
        return new Ioctl(name, encode(DIR_READ, type, nr, size));
    }

    /** Kernel reads (copy from user). */
    public static Ioctl iow(String name, int type, int nr, long size) {
        return new Ioctl(name, encode(DIR_WRITE, type, nr, size));
    }

    public static Ioctl iowr(String name, int type, int nr, long size) {
        return new Ioctl(name, encode(DIR_READ | DIR_WRITE, type, nr, size));
    }

    private static long encode(long dir, int type, int nr, long size) {
        if (size < 0 || size > SIZE_MAX || (type & ~0xff) != 0 || (nr & ~0xff) != 0) {
            throw new IllegalArgumentException("unencodable ioctl: type " + type + " nr " + nr + " size " + size);
        }
        return dir << DIRSHIFT | size << SIZESHIFT | (long) type << TYPESHIFT | (long) nr << NRSHIFT;
    }

    @Override
    public String toString() {
        return name + "(0x" + Long.toHexString(request) + ")";
    }
}
