package dev.vmm.core.sys;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.vmm.core.abi.CName;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * The signal that kicks a vCPU thread out of KVM_RUN.
 *
 * <p>The vCPU thread keeps the signal blocked, and KVM_SET_SIGNAL_MASK unblocks it only while the
 * thread is inside KVM_RUN. A signal sent during KVM_RUN therefore ends the ioctl with EINTR; one
 * sent at any other time stays pending and ends the next KVM_RUN at once. It is never delivered to a
 * handler (none is installed, and while in KVM_RUN the kernel checks the thread's saved mask before
 * treating a default-action signal as fatal), so the thread drains it with {@link #drain()}. This is
 * the scheme QEMU used for SIG_IPI with KVM_SET_SIGNAL_MASK.
 */
public final class KickSignal {
    @CName("SIG_BLOCK") static final int SIG_BLOCK = 0;
    /** glibc's sigset_t is 1024 bits; the kernel's (KVM_SET_SIGNAL_MASK) is 64. */
    private static final long GLIBC_SIGSET_SIZE = 128;
    public static final int KERNEL_SIGSET_SIZE = 8;

    private static final MethodHandle SIGRTMIN = Native.downcall("__libc_current_sigrtmin",
            FunctionDescriptor.of(JAVA_INT));
    private static final MethodHandle PTHREAD_SELF = Native.downcall("pthread_self",
            FunctionDescriptor.of(JAVA_LONG));
    private static final MethodHandle PTHREAD_KILL = Native.downcall("pthread_kill",
            FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_INT));
    private static final MethodHandle PTHREAD_SIGMASK = Native.downcall("pthread_sigmask",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle SIGTIMEDWAIT = Native.downcallWithErrno("sigtimedwait",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));

    private static final int SIGNAL = sigrtmin();
    private static final ThreadLocal<MemorySegment> KICK_SET = ThreadLocal.withInitial(KickSignal::kickSet);
    private static final ThreadLocal<MemorySegment> ZERO_TIMEOUT =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(16, 8));

    private KickSignal() {}

    /** SIGRTMIN: glibc keeps the two below it for itself; the JVM uses none of the real-time ones. */
    public static int number() {
        return SIGNAL;
    }

    /** The calling thread's identity for {@link #send(long)}. */
    public static long currentThread() {
        try {
            return (long) PTHREAD_SELF.invokeExact();
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /**
     * Blocks the kick signal in the calling thread and returns the 64-bit kernel signal mask to give
     * KVM_SET_SIGNAL_MASK: the thread's mask as it was, with the kick signal open.
     */
    public static long blockInCurrentThread() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment old = arena.allocate(GLIBC_SIGSET_SIZE, 8);
            int r = (int) PTHREAD_SIGMASK.invokeExact(SIG_BLOCK, KICK_SET.get(), old);
            if (r != 0) {
                throw new SysException("pthread_sigmask", r);
            }
            return old.get(JAVA_LONG, 0) & ~bit(SIGNAL);
        } catch (SysException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** Sends the kick to a thread; a thread that already exited is not an error (ESRCH). */
    public static void send(long thread) {
        try {
            int r = (int) PTHREAD_KILL.invokeExact(thread, SIGNAL);
            if (r != 0 && r != 3 /* ESRCH */) {
                throw new SysException("pthread_kill", r);
            }
        } catch (SysException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** Consumes kicks pending on the calling thread (it must have blocked them); returns how many. */
    public static int drain() {
        int drained = 0;
        try {
            while (true) {
                MemorySegment state = Native.errnoState();
                int r = (int) SIGTIMEDWAIT.invokeExact(state, KICK_SET.get(), MemorySegment.NULL, ZERO_TIMEOUT.get());
                if (r == SIGNAL) {
                    drained++;
                } else if (r < 0 && Native.errno(state) == Errno.EINTR) {
                    continue;
                } else {
                    return drained;
                }
            }
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    static long bit(int signal) {
        return 1L << (signal - 1);
    }

    /**
     * glibc's sigset_t holding the kick signal alone. Built here rather than with sigemptyset and
     * sigaddset, whose two downcall stubs cost a start 6-8 ms (profiled): signal n is bit n - 1 of the
     * first unsigned long, where the kernel's 64 signals all lie ({@link #blockInCurrentThread()} reads
     * the same word back).
     */
    static MemorySegment kickSet() {
        MemorySegment set = Arena.ofAuto().allocate(GLIBC_SIGSET_SIZE, 8);     // zeroed: the empty set
        set.set(JAVA_LONG, 0, bit(SIGNAL));
        return set;
    }

    private static int sigrtmin() {
        try {
            return (int) SIGRTMIN.invokeExact();
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }
}
