package dev.vmm.core.sys;

import dev.vmm.core.abi.CName;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Reference;

/**
 * The file and ioctl system calls the VMM makes (through {@link Syscall}). Each returns its result or
 * throws {@link SysException} naming the call and errno; the {@code *OrErrno} forms return
 * {@code -errno} instead, for loops that expect failures (EINTR from KVM_RUN, EAGAIN from a
 * non-blocking read).
 */
public final class Syscalls {
    @CName("O_RDONLY") public static final int O_RDONLY = 0;
    @CName("O_WRONLY") public static final int O_WRONLY = 1;
    @CName("O_RDWR") public static final int O_RDWR = 2;
    @CName("O_CREAT") public static final int O_CREAT = 0x40;
    @CName("O_TRUNC") public static final int O_TRUNC = 0x200;
    @CName("O_NONBLOCK") public static final int O_NONBLOCK = 0x800;
    @CName("O_CLOEXEC") public static final int O_CLOEXEC = 0x80000;

    private Syscalls() {}

    /** Opens a path; the error names the path, since that is what a user can fix. */
    public static Fd open(String path, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            long fd = Syscall.call(Syscall.OPENAT, Syscall.AT_FDCWD, Syscall.address(arena.allocateFrom(path)),
                    flags | O_CLOEXEC, 0600);
            if (fd < 0) {
                throw new SysException(path, (int) -fd);
            }
            return new Fd((int) fd, path);
        }
    }

    static void close(int fd) {
        long r = Syscall.call(Syscall.CLOSE, fd);
        if (r < 0 && r != -Errno.EINTR) {
            throw new SysException("close", (int) -r);
        }
    }

    /**
     * An ioctl whose failure is an error. One that a signal interrupted (EINTR) did nothing and is made
     * again, as SA_RESTART would have (KVM_CREATE_VM was seen failing so under a sampling profiler; QEMU's
     * kvm_init retries it too). KVM_RUN, where EINTR is a kick, goes through {@link #ioctlOrErrno}.
     */
    public static int ioctl(Fd fd, Ioctl ioctl, MemorySegment arg) {
        int r;
        do {
            r = ioctlOrErrno(fd, ioctl, arg);
        } while (r == -Errno.EINTR);
        if (r < 0) {
            throw new SysException(ioctl.name(), -r);
        }
        return r;
    }

    /** As {@link #ioctl(Fd, Ioctl, MemorySegment)}, EINTR retried. */
    public static int ioctl(Fd fd, Ioctl ioctl, long arg) {
        int r;
        do {
            r = ioctlOrErrno(fd, ioctl, arg);
        } while (r == -Errno.EINTR);
        if (r < 0) {
            throw new SysException(ioctl.name(), -r);
        }
        return r;
    }

    public static int ioctlOrErrno(Fd fd, Ioctl ioctl, MemorySegment arg) {
        try {
            return (int) Syscall.call(Syscall.IOCTL, fd.raw(), ioctl.request(), Syscall.address(arg));
        } finally {
            Reference.reachabilityFence(arg);
        }
    }

    public static int ioctlOrErrno(Fd fd, Ioctl ioctl, long arg) {
        return (int) Syscall.call(Syscall.IOCTL, fd.raw(), ioctl.request(), arg);
    }

    /** As {@link #ioctlOrErrno(Fd, Ioctl, long)}, errno landing in the caller's {@code slot}. */
    public static int ioctlOrErrno(Fd fd, Ioctl ioctl, long arg, ErrnoSlot slot) {
        return (int) Syscall.call(slot, Syscall.IOCTL, fd.raw(), ioctl.request(), arg);
    }

    /** read(2) into {@code buffer}: bytes read, or {@code -errno}. */
    public static long readOrErrno(Fd fd, MemorySegment buffer) {
        try {
            return Syscall.call(Syscall.READ, fd.raw(), Syscall.address(buffer), buffer.byteSize());
        } finally {
            Reference.reachabilityFence(buffer);
        }
    }

    /** write(2) from {@code buffer}: bytes written, or {@code -errno}. */
    public static long writeOrErrno(Fd fd, MemorySegment buffer) {
        try {
            return Syscall.call(Syscall.WRITE, fd.raw(), Syscall.address(buffer), buffer.byteSize());
        } finally {
            Reference.reachabilityFence(buffer);
        }
    }
}
