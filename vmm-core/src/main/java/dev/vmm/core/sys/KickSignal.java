package dev.vmm.core.sys;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.vmm.core.abi.CName;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

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
    /**
     * glibc's SIGRTMIN, the first real-time signal it leaves to programs (it keeps the two below for
     * itself); the JVM uses none of the real-time ones. The ABI probe checks it against the glibc it
     * runs on (SIGRTMIN is a function there), and KickSignalTest against the one the tests run on.
     */
    @CName("SIGRTMIN") static final int SIGRTMIN = 34;
    /** The kernel's sigset_t (rt_sigprocmask, rt_sigtimedwait, KVM_SET_SIGNAL_MASK): 64 bits. */
    public static final int KERNEL_SIGSET_SIZE = 8;

    private static final ThreadLocal<MemorySegment> KICK_SET = ThreadLocal.withInitial(KickSignal::kickSet);
    private static final ThreadLocal<MemorySegment> ZERO_TIMEOUT =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(16, 8));
    private static final long PROCESS = Syscall.call(Syscall.GETPID);

    private KickSignal() {}

    public static int number() {
        return SIGRTMIN;
    }

    /** The calling thread's identity for {@link #send(long)}: its kernel thread id. */
    public static long currentThread() {
        return Syscall.call(Syscall.GETTID);
    }

    /**
     * Blocks the kick signal in the calling thread and returns the 64-bit kernel signal mask to give
     * KVM_SET_SIGNAL_MASK: the thread's mask as it was, with the kick signal open.
     */
    public static long blockInCurrentThread() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment old = arena.allocate(KERNEL_SIGSET_SIZE, 8);
            MemorySegment set = KICK_SET.get();
            long r = Syscall.call(Syscall.RT_SIGPROCMASK, SIG_BLOCK, Syscall.address(set), Syscall.address(old),
                    KERNEL_SIGSET_SIZE);
            if (r < 0) {
                throw new SysException("rt_sigprocmask", (int) -r);
            }
            return old.get(JAVA_LONG, 0) & ~bit(SIGRTMIN);
        }
    }

    /**
     * Sends the kick to a thread of this process. The caller sends only while the thread lives (a
     * thread id is reused after its thread ends); one that has just ended is not an error (ESRCH).
     */
    public static void send(long thread) {
        long r = Syscall.call(Syscall.TGKILL, PROCESS, thread, SIGRTMIN);
        if (r < 0 && r != -Errno.ESRCH) {
            throw new SysException("tgkill", (int) -r);
        }
    }

    /** Consumes kicks pending on the calling thread (it must have blocked them); returns how many. */
    public static int drain() {
        MemorySegment set = KICK_SET.get();
        MemorySegment timeout = ZERO_TIMEOUT.get();
        int drained = 0;
        while (true) {
            long r = Syscall.call(Syscall.RT_SIGTIMEDWAIT, Syscall.address(set), 0, Syscall.address(timeout),
                    KERNEL_SIGSET_SIZE);
            if (r == SIGRTMIN) {
                drained++;
            } else if (r != -Errno.EINTR) {
                return drained;
            }
        }
    }

    static long bit(int signal) {
        return 1L << (signal - 1);
    }

    /** The kernel's sigset_t holding the kick signal alone: signal n is bit n - 1. */
    static MemorySegment kickSet() {
        MemorySegment set = Arena.ofAuto().allocate(KERNEL_SIGSET_SIZE, 8);
        set.set(JAVA_LONG, 0, bit(SIGRTMIN));
        return set;
    }
}
