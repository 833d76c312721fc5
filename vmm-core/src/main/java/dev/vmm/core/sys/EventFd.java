package dev.vmm.core.sys;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.vmm.core.abi.CName;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** An eventfd(2): the counter KVM signals for an ioeventfd and waits on for an irqfd. */
public final class EventFd implements AutoCloseable {
    @CName("EFD_CLOEXEC") public static final int EFD_CLOEXEC = 0x80000;
    @CName("EFD_NONBLOCK") public static final int EFD_NONBLOCK = 0x800;

    private final Fd fd;
    private final MemorySegment buffer = Arena.ofAuto().allocate(JAVA_LONG);

    public EventFd(int flags) {
        long r = Syscall.call(Syscall.EVENTFD2, 0, flags | EFD_CLOEXEC);
        if (r < 0) {
            throw new SysException("eventfd", (int) -r);
        }
        fd = new Fd((int) r, "eventfd");
    }

    public Fd fd() {
        return fd;
    }

    /** Adds {@code value} to the counter. */
    public synchronized void write(long value) {
        buffer.set(JAVA_LONG, 0, value);
        long r = Syscalls.writeOrErrno(fd, buffer);
        if (r < 0) {
            throw new SysException("eventfd write", (int) -r);
        }
    }

    /** Reads and resets the counter; 0 when non-blocking and nothing was signalled. */
    public synchronized long read() {
        long r = Syscalls.readOrErrno(fd, buffer);
        if (r == -Errno.EAGAIN) {
            return 0;
        }
        if (r < 0) {
            throw new SysException("eventfd read", (int) -r);
        }
        return buffer.get(JAVA_LONG, 0);
    }

    @Override
    public void close() {
        fd.close();
    }
}
