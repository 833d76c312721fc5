package dev.vmm.core.sys;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An owned file descriptor: exactly one owner closes it, once. {@link #raw()} after close throws,
 * so a stale number can never reach a syscall and hit an fd reused by someone else.
 */
public final class Fd implements AutoCloseable {
    private final int fd;
    private final String what;
    private final AtomicBoolean closed = new AtomicBoolean();

    public Fd(int fd, String what) {
        if (fd < 0) {
            throw new IllegalArgumentException("negative fd for " + what);
        }
        this.fd = fd;
        this.what = what;
    }

    public int raw() {
        if (closed.get()) {
            throw new IllegalStateException(what + " is closed");
        }
        return fd;
    }

    public boolean isOpen() {
        return !closed.get();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            Syscalls.close(fd);
        }
    }

    @Override
    public String toString() {
        return what + "[fd " + fd + (closed.get() ? ", closed]" : "]");
    }
}
