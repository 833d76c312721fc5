package dev.vmm.core.sys;

import static dev.vmm.core.abi.CStruct.u32;
import static dev.vmm.core.abi.CStruct.u64;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import dev.vmm.core.abi.CName;
import dev.vmm.core.abi.CStruct;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.ref.Reference;

/**
 * An epoll(7) instance, level-triggered: the fd an {@link EventLoop} waits on. Each registration carries
 * a 64-bit token that comes back with its readiness.
 */
public final class Epoll implements AutoCloseable {
    @CName("EPOLL_CLOEXEC") static final int EPOLL_CLOEXEC = 0x80000;
    @CName("EPOLL_CTL_ADD") static final int EPOLL_CTL_ADD = 1;
    @CName("EPOLL_CTL_DEL") static final int EPOLL_CTL_DEL = 2;
    @CName("EPOLL_CTL_MOD") static final int EPOLL_CTL_MOD = 3;
    @CName("EPOLLIN") public static final int EPOLLIN = 0x001;
    @CName("EPOLLPRI") public static final int EPOLLPRI = 0x002;
    @CName("EPOLLOUT") public static final int EPOLLOUT = 0x004;
    /** Always reported, whether asked for or not. */
    @CName("EPOLLERR") public static final int EPOLLERR = 0x008;
    /** Always reported, whether asked for or not. */
    @CName("EPOLLHUP") public static final int EPOLLHUP = 0x010;
    @CName("EPOLLRDHUP") public static final int EPOLLRDHUP = 0x2000;

    /**
     * {@code struct epoll_event} is {@code __attribute__((packed))} on x86-64 (glibc's bits/epoll.h,
     * the kernel's EPOLL_PACKED): 12 bytes, {@code data} at offset 4, so arrays of it are unaligned.
     */
    static final StructLayout EPOLL_EVENT = CStruct.packed("epoll_event", u32("events"),
            CStruct.union("data", ADDRESS.withName("ptr"), u32("fd"), u32("u32"), u64("u64")));
    private static final long EVENT_SIZE = EPOLL_EVENT.byteSize();
    private static final long EVENTS = CStruct.offset(EPOLL_EVENT, "events");
    private static final long DATA = CStruct.offset(EPOLL_EVENT, "data.u64");

    private final Fd fd;

    public Epoll() {
        long r = Syscall.call(Syscall.EPOLL_CREATE1, EPOLL_CLOEXEC);
        if (r < 0) {
            throw new SysException("epoll_create1", (int) -r);
        }
        fd = new Fd((int) r, "epoll");
    }

    Fd fd() {
        return fd;
    }

    /** Watches {@code target} for {@code events} (EPOLLIN...); readiness comes back with {@code token}. */
    public void add(Fd target, int events, long token) {
        ctl(EPOLL_CTL_ADD, "EPOLL_CTL_ADD", target, events, token);
    }

    public void modify(Fd target, int events, long token) {
        ctl(EPOLL_CTL_MOD, "EPOLL_CTL_MOD", target, events, token);
    }

    public void delete(Fd target) {
        ctl(EPOLL_CTL_DEL, "EPOLL_CTL_DEL", target, 0, 0);
    }

    private void ctl(int op, String opName, Fd target, int events, long token) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment e = arena.allocate(EPOLL_EVENT);
            e.set(JAVA_INT_UNALIGNED, EVENTS, events);
            e.set(JAVA_LONG_UNALIGNED, DATA, token);
            long r = Syscall.call(Syscall.EPOLL_CTL, fd.raw(), op, target.raw(), Syscall.address(e));
            if (r < 0) {
                throw new SysException("epoll_ctl(" + opName + ")", (int) -r, target.toString());
            }
        }
    }

    /**
     * Waits up to {@code timeoutMillis} (-1: for ever) and fills {@code ready}; returns how many are ready,
     * 0 on a timeout or when a signal interrupted the wait.
     */
    public int await(Ready ready, int timeoutMillis) {
        try {
            long n = Syscall.call(Syscall.EPOLL_WAIT, fd.raw(), Syscall.address(ready.events), ready.capacity, timeoutMillis);
            if (n == -Errno.EINTR) {
                return 0;
            }
            if (n < 0) {
                throw new SysException("epoll_wait", (int) -n);
            }
            return (int) n;
        } finally {
            Reference.reachabilityFence(ready);
        }
    }

    @Override
    public void close() {
        fd.close();
    }

    /** The array epoll_wait fills; one per waiting thread. */
    public static final class Ready {
        private final MemorySegment events;
        private final int capacity;

        public Ready(Arena arena, int capacity) {
            this.events = arena.allocate(EVENT_SIZE * capacity, 1);
            this.capacity = capacity;
        }

        public int events(int i) {
            return events.get(JAVA_INT_UNALIGNED, EVENT_SIZE * i + EVENTS);
        }

        public long token(int i) {
            return events.get(JAVA_LONG_UNALIGNED, EVENT_SIZE * i + DATA);
        }
    }
}
