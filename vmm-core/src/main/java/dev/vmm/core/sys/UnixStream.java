package dev.vmm.core.sys;

import static dev.vmm.core.abi.CStruct.struct;
import static dev.vmm.core.abi.CStruct.u16;
import static dev.vmm.core.abi.CStruct.u32;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.vmm.core.abi.CName;
import dev.vmm.core.abi.CStruct;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.ref.Reference;
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
    @CName("POLLHUP") static final int POLLHUP = 0x010;
    static final StructLayout POLLFD = struct("pollfd", u32("fd"), u16("events"), u16("revents"));
    private static final long POLLFD_FD = CStruct.offset(POLLFD, "fd");
    private static final long POLLFD_REVENTS = CStruct.offset(POLLFD, "revents");

    private final Fd fd;

    private UnixStream(Fd fd) {
        this.fd = fd;
    }

    /** A listener bound to {@code path}, which must not exist yet. */
    public static UnixStream listen(Path path) {
        UnixStream s = new UnixStream(UnixSockets.open(UnixSockets.SOCK_STREAM, path.toString()));
        try (Arena a = Arena.ofConfined()) {
            UnixSockets.bind(s.fd, UnixSockets.address(a, path), (int) UnixSockets.SOCKADDR_UN.byteSize(), "bind " + path);
            long r = Syscall.call(Syscall.LISTEN, s.fd.raw(), BACKLOG);
            if (r < 0) {
                throw new SysException("listen " + path, (int) -r);
            }
        } catch (RuntimeException e) {
            s.close();
            throw e;
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
        long raw = Syscall.call(Syscall.ACCEPT4, fd.raw(), 0, 0, UnixSockets.SOCK_NONBLOCK | UnixSockets.SOCK_CLOEXEC);
        if (raw == -Errno.EAGAIN || raw == -Errno.EINTR || raw == -Errno.ECONNABORTED) {
            return null;
        }
        if (raw < 0) {
            throw new SysException("accept " + fd, (int) -raw);
        }
        return new UnixStream(new Fd((int) raw, "connection on " + fd));
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

    /**
     * Whether the peer closed its end, as opposed to only shutting down its writes: after a read of 0
     * (the end of the stream) the two look the same. A close sets both directions' shutdown at once
     * (af_unix's unix_release_sock), which poll reports as POLLHUP; shutdown(SHUT_WR) sets only the
     * peer's. Asked of the socket now, not of an epoll round that may not have run yet.
     */
    public boolean peerClosed() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment p = a.allocate(POLLFD);
            p.set(JAVA_INT, POLLFD_FD, fd.raw());         // events 0: POLLHUP is reported whatever is asked
            long r = Syscall.call(Syscall.POLL, Syscall.address(p), 1, 0);
            if (r < 0) {
                throw new SysException("poll " + fd, (int) -r);
            }
            return (p.get(JAVA_SHORT, POLLFD_REVENTS) & POLLHUP) != 0;
        }
    }

    /** Writes from {@code buffer}: bytes written (perhaps fewer), or 0 if the socket's buffer is full. */
    public long write(MemorySegment buffer) {
        long r;
        try {
            // send(2) is sendto(2) with no address.
            r = Syscall.call(Syscall.SENDTO, fd.raw(), Syscall.address(buffer), buffer.byteSize(), MSG_NOSIGNAL, 0, 0);
        } finally {
            Reference.reachabilityFence(buffer);
        }
        if (r == -Errno.EAGAIN || r == -Errno.EINTR) {
            return 0;
        }
        if (r < 0) {
            throw new SysException("send " + fd, (int) -r);
        }
        return r;
    }

    /** No more writes: the peer reads the end of the stream. */
    public void shutdownWrite() {
        long r = Syscall.call(Syscall.SHUTDOWN, fd.raw(), SHUT_WR);
        if (r < 0 && r != -Errno.ENOTCONN) {
            throw new SysException("shutdown " + fd, (int) -r);
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
