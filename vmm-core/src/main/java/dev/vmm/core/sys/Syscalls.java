package dev.vmm.core.sys;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.vmm.core.abi.CName;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * The libc calls the VMM makes. Each returns its result or throws {@link SysException} naming the
 * call and errno; the {@code *OrErrno} forms return {@code -errno} instead, for loops that expect
 * failures (EINTR from KVM_RUN, EAGAIN from a non-blocking read).
 */
public final class Syscalls {
    @CName("O_RDONLY") public static final int O_RDONLY = 0;
    @CName("O_WRONLY") public static final int O_WRONLY = 1;
    @CName("O_RDWR") public static final int O_RDWR = 2;
    @CName("O_CREAT") public static final int O_CREAT = 0x40;
    @CName("O_TRUNC") public static final int O_TRUNC = 0x200;
    @CName("O_NONBLOCK") public static final int O_NONBLOCK = 0x800;
    @CName("O_CLOEXEC") public static final int O_CLOEXEC = 0x80000;

    private static final MethodHandle OPEN = Native.downcallWithErrno("open",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle CLOSE = Native.downcallWithErrno("close",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle IOCTL_PTR = Native.downcallWithErrno("ioctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle IOCTL_LONG = Native.downcallWithErrno("ioctl",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG), Linker.Option.firstVariadicArg(2));

    /** read/write serve eventfds only: linked on first use, not on every start. */
    private static final class ReadWrite {
        static final MethodHandle READ = Native.downcallWithErrno("read",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
        static final MethodHandle WRITE = Native.downcallWithErrno("write",
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    }

    private Syscalls() {}

    /** Opens a path; the error names the path, since that is what a user can fix. */
    public static Fd open(String path, int flags) {
        try (var arena = java.lang.foreign.Arena.ofConfined()) {
            MemorySegment state = Native.errnoState();
            int fd = (int) OPEN.invokeExact(state, arena.allocateFrom(path), flags | O_CLOEXEC, 0600);
            if (fd < 0) {
                throw new SysException(path, Native.errno(state));
            }
            return new Fd(fd, path);
        } catch (SysException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static void close(int fd) {
        try {
            MemorySegment state = Native.errnoState();
            if ((int) CLOSE.invokeExact(state, fd) < 0 && Native.errno(state) != Errno.EINTR) {
                throw new SysException("close", Native.errno(state));
            }
        } catch (SysException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
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
            MemorySegment state = Native.errnoState();
            int r = (int) IOCTL_PTR.invokeExact(state, fd.raw(), ioctl.request(), arg);
            return r < 0 ? -Native.errno(state) : r;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    public static int ioctlOrErrno(Fd fd, Ioctl ioctl, long arg) {
        try {
            MemorySegment state = Native.errnoState();
            int r = (int) IOCTL_LONG.invokeExact(state, fd.raw(), ioctl.request(), arg);
            return r < 0 ? -Native.errno(state) : r;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** read(2) into {@code buffer}: bytes read, or {@code -errno}. */
    public static long readOrErrno(Fd fd, MemorySegment buffer) {
        try {
            MemorySegment state = Native.errnoState();
            long r = (long) ReadWrite.READ.invokeExact(state, fd.raw(), buffer, buffer.byteSize());
            return r < 0 ? -Native.errno(state) : r;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** write(2) from {@code buffer}: bytes written, or {@code -errno}. */
    public static long writeOrErrno(Fd fd, MemorySegment buffer) {
        try {
            MemorySegment state = Native.errnoState();
            long r = (long) ReadWrite.WRITE.invokeExact(state, fd.raw(), buffer, buffer.byteSize());
            return r < 0 ? -Native.errno(state) : r;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }
}
