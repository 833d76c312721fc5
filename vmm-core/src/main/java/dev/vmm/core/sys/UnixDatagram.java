package dev.vmm.core.sys;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

/**
 * A non-blocking AF_UNIX datagram socket (unix(7)), which the JDK's channels do not offer: one
 * datagram per Ethernet frame, so it carries a virtio-net device's traffic to a userspace peer
 * (QEMU's {@code -netdev dgram} with unix addresses). Either bound to a path (the peer's side) or
 * auto-bound to an abstract name and connected to the peer's path, so that the peer can answer.
 */
public final class UnixDatagram implements AutoCloseable {
    private static final MethodHandle RECVFROM = Native.downcallWithErrno("recvfrom",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle SENDTO = Native.downcallWithErrno("sendto",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));

    private final Fd fd;
    private final Arena arena = Arena.ofShared();
    /** The sender of the last datagram received (for {@link #reply}). */
    private final MemorySegment peer = arena.allocate(UnixSockets.SOCKADDR_UN);
    private final MemorySegment peerLength = arena.allocate(JAVA_INT);

    private UnixDatagram(Fd fd) {
        this.fd = fd;
    }

    /** A socket bound to {@code path} (which must not exist yet). */
    public static UnixDatagram bind(Path path) {
        UnixDatagram s = new UnixDatagram(UnixSockets.open(UnixSockets.SOCK_DGRAM, path.toString()));
        try (Arena a = Arena.ofConfined()) {
            UnixSockets.bind(s.fd, UnixSockets.address(a, path), (int) UnixSockets.SOCKADDR_UN.byteSize(), "bind " + path);
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    /** A socket auto-bound to an abstract name and connected to the one bound at {@code path}. */
    public static UnixDatagram connect(Path path) {
        UnixDatagram s = new UnixDatagram(UnixSockets.open(UnixSockets.SOCK_DGRAM, path.toString()));
        try (Arena a = Arena.ofConfined()) {
            MemorySegment family = a.allocate(UnixSockets.SOCKADDR_UN);
            family.set(ValueLayout.JAVA_SHORT, 0, (short) UnixSockets.AF_UNIX);
            UnixSockets.bind(s.fd, family, 2, "bind (autobind)");
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

    /** One datagram into {@code buffer}: its length (truncated to the buffer), or -1 if none is waiting. */
    public int receive(MemorySegment buffer) {
        try {
            MemorySegment state = Native.errnoState();
            peerLength.set(JAVA_INT, 0, (int) UnixSockets.SOCKADDR_UN.byteSize());
            long r = (long) RECVFROM.invokeExact(state, fd.raw(), buffer, buffer.byteSize(), 0, peer, peerLength);
            if (r < 0) {
                int errno = Native.errno(state);
                if (errno == Errno.EAGAIN) {
                    return -1;
                }
                throw new SysException("recvfrom " + fd, errno);
            }
            return (int) r;
        } catch (SysException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** Sends one datagram to the connected peer; false if the peer is gone or its queue is full (dropped). */
    public boolean send(MemorySegment datagram) {
        return sendTo(datagram, MemorySegment.NULL, 0);
    }

    /** Sends one datagram to the sender of the last one received. */
    public boolean reply(MemorySegment datagram) {
        return sendTo(datagram, peer, peerLength.get(JAVA_INT, 0));
    }

    private boolean sendTo(MemorySegment datagram, MemorySegment to, int toLength) {
        try {
            MemorySegment state = Native.errnoState();
            long r = (long) SENDTO.invokeExact(state, fd.raw(), datagram, datagram.byteSize(), 0, to, toLength);
            if (r < 0) {
                int errno = Native.errno(state);
                if (errno == Errno.EAGAIN || errno == Errno.ECONNREFUSED || errno == Errno.ENOENT) {
                    return false;          // a network drops what it cannot deliver
                }
                throw new SysException("sendto " + fd, errno);
            }
            return true;
        } catch (SysException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    @Override
    public void close() {
        fd.close();
        arena.close();
    }
}
