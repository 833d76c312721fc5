package dev.vmm.core.sys;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.vmm.core.abi.CName;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * The one downcall every system call of the VMM goes through: glibc's {@code syscall(2)}, with the
 * number and six arguments as 64-bit words, as Go's runtime and Rust's rustix make them.
 *
 * <p>Why one: the JDK links each distinct function shape separately, and a start used to spend 40-50 ms
 * (profiled) linking a dozen libc wrappers' shapes; one shape is linked once. A pointer argument is
 * passed as its address ({@link #address}), so the caller keeps the memory alive across the call: a
 * confined arena closed after it, or {@code Reference.reachabilityFence} for an automatic one.
 */
final class Syscall {
    @CName("SYS_read") static final int READ = 0;
    @CName("SYS_write") static final int WRITE = 1;
    @CName("SYS_close") static final int CLOSE = 3;
    @CName("SYS_poll") static final int POLL = 7;
    @CName("SYS_mmap") static final int MMAP = 9;
    @CName("SYS_munmap") static final int MUNMAP = 11;
    @CName("SYS_rt_sigprocmask") static final int RT_SIGPROCMASK = 14;
    @CName("SYS_ioctl") static final int IOCTL = 16;
    @CName("SYS_madvise") static final int MADVISE = 28;
    @CName("SYS_getpid") static final int GETPID = 39;
    @CName("SYS_socket") static final int SOCKET = 41;
    @CName("SYS_connect") static final int CONNECT = 42;
    @CName("SYS_sendto") static final int SENDTO = 44;
    @CName("SYS_recvfrom") static final int RECVFROM = 45;
    @CName("SYS_shutdown") static final int SHUTDOWN = 48;
    @CName("SYS_bind") static final int BIND = 49;
    @CName("SYS_listen") static final int LISTEN = 50;
    @CName("SYS_rt_sigtimedwait") static final int RT_SIGTIMEDWAIT = 128;
    @CName("SYS_gettid") static final int GETTID = 186;
    @CName("SYS_epoll_wait") static final int EPOLL_WAIT = 232;
    @CName("SYS_epoll_ctl") static final int EPOLL_CTL = 233;
    @CName("SYS_tgkill") static final int TGKILL = 234;
    @CName("SYS_openat") static final int OPENAT = 257;
    @CName("SYS_accept4") static final int ACCEPT4 = 288;
    @CName("SYS_eventfd2") static final int EVENTFD2 = 290;
    @CName("SYS_epoll_create1") static final int EPOLL_CREATE1 = 291;
    @CName("AT_FDCWD") static final int AT_FDCWD = -100;

    /** {@code long syscall(long number, ...)}: variadic after the number. */
    private static final MethodHandle SYSCALL = Native.downcallWithErrno("syscall",
            FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
            Linker.Option.firstVariadicArg(1));

    private Syscall() {}

    /** System call {@code nr}: its result, or {@code -errno} (a result the kernel never returns). */
    static long call(int nr, long a1, long a2, long a3, long a4, long a5, long a6) {
        return call(Native.errnoState(), nr, a1, a2, a3, a4, a5, a6);
    }

    /** As {@link #call(int, long, long, long, long, long, long)}, errno landing in {@code slot}. */
    static long call(ErrnoSlot slot, int nr, long a1, long a2, long a3) {
        return call(slot.segment, nr, a1, a2, a3, 0, 0, 0);
    }

    private static long call(MemorySegment state, int nr, long a1, long a2, long a3, long a4, long a5, long a6) {
        try {
            long r = (long) SYSCALL.invokeExact(state, (long) nr, a1, a2, a3, a4, a5, a6);
            return r == -1 ? -Native.errno(state) : r;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static long call(int nr) {
        return call(nr, 0, 0, 0, 0, 0, 0);
    }

    static long call(int nr, long a1) {
        return call(nr, a1, 0, 0, 0, 0, 0);
    }

    static long call(int nr, long a1, long a2) {
        return call(nr, a1, a2, 0, 0, 0, 0);
    }

    static long call(int nr, long a1, long a2, long a3) {
        return call(nr, a1, a2, a3, 0, 0, 0);
    }

    static long call(int nr, long a1, long a2, long a3, long a4) {
        return call(nr, a1, a2, a3, a4, 0, 0);
    }

    /**
     * The address to pass for {@code segment}. Only native memory has one: a heap segment is refused, as
     * the JDK refuses it for a pointer parameter, and so are one whose arena is closed and one confined
     * to another thread. Unlike a pointer parameter, the address does not hold a shared arena open
     * during the call: such memory (guest RAM, a device's buffers) is freed only after the threads that
     * make system calls on it are joined.
     */
    static long address(MemorySegment segment) {
        if (!segment.isNative()) {
            throw new IllegalArgumentException("a system call needs native memory, not " + segment);
        }
        if (!segment.scope().isAlive()) {
            throw new IllegalStateException("a system call was given memory already freed: " + segment);
        }
        if (!segment.isAccessibleBy(Thread.currentThread())) {
            throw new WrongThreadException("a system call was given memory confined to another thread: " + segment);
        }
        return segment.address();
    }
}
