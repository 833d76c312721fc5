package dev.vmm.core.sys;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.vmm.core.abi.CName;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

/**
 * A non-blocking AF_UNIX stream socket on a raw fd, so that an {@link EventLoop} can watch it (the
 * JDK's channels hide theirs): a listener bound to a path, a connection it accepted, or one made to a
 * path. Reads and writes never block; a write to a peer that is gone fails instead of raising SIGPIPE.
 */
public final class UnixStream implements AutoCloseable {
    @CName("MSG_NOSIGNAL") static final int MSG_NOSIGNAL = 0x4000;
    @CName("SHUT_WR") static final int SHUT_WR = 1;
    /** Connections the kernel queues before the loop accepts them; more are refused (EAGAIN). */
    private static final int BACKLOG = 128;

    private static final MethodHandle LISTEN = Native.downcallWithErrno("listen",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle ACCEPT4 = Native.downcallWithErrno("accept4",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    private static final MethodHandle SEND = Native.downcallWithErrno("send",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle SHUTDOWN = Native.downcallWithErrno("shutdown",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));

    private final Fd fd;

    private UnixStream(Fd fd) {
        this.fd = fd;
    }

    /** A listener bound to {@code path}, which must not exist yet. */
    public static UnixStream listen(Path path) {
        UnixStream s = new UnixStream(UnixSockets.open(UnixSockets.SOCK_STREAM, path.toString()));
        try (Arena a = Arena.ofConfined()) {
            UnixSockets.bind(s.fd, UnixSockets.address(a, path), (int) UnixSockets.SOCKADDR_UN.byteSize(), "bind " + path);
            MemorySegment state = Native.errnoState();
            int r = (int) LISTEN.invokeExact(state, s.fd.raw(), BACKLOG);
            if (r < 0) {
                throw new SysException("listen " + path, Native.errno(state));
            }
        } catch (RuntimeException e) {
            s.close();
            throw e;
        } catch (Throwable t) {
            s.close();
            throw new AssertionError(t);
        }
        return s;
    }

    /**
     * A connection to the listener at {@code path}. A unix socket connects at once or not at all: a
     * missing path (ENOENT), no listener (ECONNREFUSED) or a full backlog (EAGAIN) throws.
     */
    public static UnixStream connect(Path path) {
        UnixStream s = new UnixStream(UnixSockets.open(UnixSockets.SOCK_STREAM, path.toString()));
        try (Arena a = Arena.ofConfined()) {
            UnixSockets.check("connect " + path, UnixSockets.connect(s.fd, UnixSockets.address(a, path)));
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    public Fd fd() {
        return fd;
    }

    /** A connection waiting on this listener, or null if none is. */
    public UnixStream accept() {
        MemorySegment state = Native.errnoState();
        int raw;
        try {
            raw = (int) ACCEPT4.invokeExact(state, fd.raw(), MemorySegment.NULL, MemorySegment.NULL,
                    UnixSockets.SOCK_NONBLOCK | UnixSockets.SOCK_CLOEXEC);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
        if (raw < 0) {
            int errno = Native.errno(state);
            if (errno == Errno.EAGAIN || errno == Errno.EINTR || errno == Errno.ECONNABORTED) {
                return null;
            }
            throw new SysException("accept " + fd, errno);
        }
        return new UnixStream(new Fd(raw, "connection on " + fd));
    }

    /** Reads into {@code buffer}: bytes read, 0 at the end of the stream, -1 if nothing waits. */
    public long read(MemorySegment buffer) {
        long r = Syscalls.readOrErrno(fd, buffer);
        if (r == -Errno.EAGAIN || r == -Errno.EINTR) {
            return -1;
        }
        if (r < 0) {
            throw new SysException("read " + fd, (int) -r);
        }
        return r;
    }

    /** Writes from {@code buffer}: bytes written (perhaps fewer), or 0 if the socket's buffer is full. */
    public long write(MemorySegment buffer) {
        MemorySegment state = Native.errnoState();
        long r;
        try {
            r = (long) SEND.invokeExact(state, fd.raw(), buffer, buffer.byteSize(), MSG_NOSIGNAL);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
        if (r < 0) {
            int errno = Native.errno(state);
            if (errno == Errno.EAGAIN || errno == Errno.EINTR) {
                return 0;
            }
            throw new SysException("send " + fd, errno);
        }
        return r;
    }

    /** No more writes: the peer reads the end of the stream. */
    public void shutdownWrite() {
        MemorySegment state = Native.errnoState();
        try {
            int r = (int) SHUTDOWN.invokeExact(state, fd.raw(), SHUT_WR);
            if (r < 0 && Native.errno(state) != Errno.ENOTCONN) {
                throw new SysException("shutdown " + fd, Native.errno(state));
            }
        } catch (SysException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    @Override
    public void close() {
        fd.close();
    }

    @Override
    public String toString() {
        return fd.toString();
    }
}
