package dev.vmm.core.sys;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.ref.Reference;
import java.nio.file.Path;

/**
 * A non-blocking AF_UNIX datagram socket (unix(7)), which the JDK's channels do not offer: one
 * datagram per Ethernet frame, so it carries a virtio-net device's traffic to a userspace peer
 * (QEMU's {@code -netdev dgram} with unix addresses). Either bound to a path (the peer's side) or
 * auto-bound to an abstract name and connected to the peer's path, so that the peer can answer.
 */
public final class UnixDatagram implements AutoCloseable {
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
        long r;
        try {
            peerLength.set(JAVA_INT, 0, (int) UnixSockets.SOCKADDR_UN.byteSize());
            r = Syscall.call(Syscall.RECVFROM, fd.raw(), Syscall.address(buffer), buffer.byteSize(), 0,
                    Syscall.address(peer), Syscall.address(peerLength));
        } finally {
            Reference.reachabilityFence(buffer);
        }
        if (r == -Errno.EAGAIN) {
            return -1;
        }
        if (r < 0) {
            throw new SysException("recvfrom " + fd, (int) -r);
        }
        return (int) r;
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
        long r;
        try {
            r = Syscall.call(Syscall.SENDTO, fd.raw(), Syscall.address(datagram), datagram.byteSize(), 0,
                    Syscall.address(to), toLength);
        } finally {
            Reference.reachabilityFence(datagram);
        }
        if (r == -Errno.EAGAIN || r == -Errno.ECONNREFUSED || r == -Errno.ENOENT) {
            return false;          // a network drops what it cannot deliver
        }
        if (r < 0) {
            throw new SysException("sendto " + fd, (int) -r);
        }
        return true;
    }

    @Override
    public void close() {
        fd.close();
        arena.close();
    }
}
