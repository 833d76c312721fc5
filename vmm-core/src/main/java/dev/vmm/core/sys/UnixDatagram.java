package dev.vmm.core.sys;

import static dev.vmm.core.abi.CStruct.bytes;
import static dev.vmm.core.abi.CStruct.struct;
import static dev.vmm.core.abi.CStruct.u16;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.vmm.core.abi.CName;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A non-blocking AF_UNIX datagram socket (unix(7)), which the JDK's channels do not offer: one
 * datagram per Ethernet frame, so it carries a virtio-net device's traffic to a userspace peer
 * (QEMU's {@code -netdev dgram} with unix addresses). Either bound to a path (the peer's side) or
 * auto-bound to an abstract name and connected to the peer's path, so that the peer can answer.
 */
public final class UnixDatagram implements AutoCloseable {
    @CName("AF_UNIX") static final int AF_UNIX = 1;
    @CName("SOCK_DGRAM") static final int SOCK_DGRAM = 2;
    @CName("SOCK_NONBLOCK") static final int SOCK_NONBLOCK = 0x800;
    @CName("SOCK_CLOEXEC") static final int SOCK_CLOEXEC = 0x80000;
    public static final StructLayout SOCKADDR_UN = struct("sockaddr_un", u16("sun_family"), bytes("sun_path", 108));
    private static final long PATH_MAX = 108;

    private static final MethodHandle SOCKET = Native.downcallWithErrno("socket",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle BIND = Native.downcallWithErrno("bind",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle CONNECT = Native.downcallWithErrno("connect",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle RECVFROM = Native.downcallWithErrno("recvfrom",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle SENDTO = Native.downcallWithErrno("sendto",
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));

    private final Fd fd;
    private final Arena arena = Arena.ofShared();
    /** The sender of the last datagram received (for {@link #reply}). */
    private final MemorySegment peer = arena.allocate(SOCKADDR_UN);
    private final MemorySegment peerLength = arena.allocate(JAVA_INT);

    private UnixDatagram(Fd fd) {
        this.fd = fd;
    }

    /** A socket bound to {@code path} (which must not exist yet). */
    public static UnixDatagram bind(Path path) {
        UnixDatagram s = open(path.toString());
        try (Arena a = Arena.ofConfined()) {
            s.check("bind " + path, (int) invoke(BIND, s.fd.raw(), address(a, path), (int) SOCKADDR_UN.byteSize()));
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    /** A socket auto-bound to an abstract name and connected to the one bound at {@code path}. */
    public static UnixDatagram connect(Path path) {
        UnixDatagram s = open(path.toString());
        try (Arena a = Arena.ofConfined()) {
            MemorySegment family = a.allocate(SOCKADDR_UN);
            family.set(ValueLayout.JAVA_SHORT, 0, (short) AF_UNIX);
            s.check("bind (autobind)", (int) invoke(BIND, s.fd.raw(), family, 2));
            s.check("connect " + path, (int) invoke(CONNECT, s.fd.raw(), address(a, path), (int) SOCKADDR_UN.byteSize()));
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    private static UnixDatagram open(String what) {
        MemorySegment state = Native.errnoState();
        int raw;
        try {
            raw = (int) SOCKET.invokeExact(state, AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
        if (raw < 0) {
            throw new SysException("socket(AF_UNIX, SOCK_DGRAM) for " + what, Native.errno(state));
        }
        return new UnixDatagram(new Fd(raw, what));
    }

    private static MemorySegment address(Arena a, Path path) {
        byte[] name = path.toString().getBytes(StandardCharsets.UTF_8);
        if (name.length >= PATH_MAX) {
            throw new SysException(path.toString(), Errno.ENAMETOOLONG, "a unix socket path has at most 107 bytes");
        }
        MemorySegment addr = a.allocate(SOCKADDR_UN);
        addr.set(ValueLayout.JAVA_SHORT, 0, (short) AF_UNIX);
        MemorySegment.copy(name, 0, addr, ValueLayout.JAVA_BYTE, 2, name.length);
        return addr;
    }

    private static long invoke(MethodHandle h, int fd, MemorySegment addr, int length) {
        try {
            return (int) h.invokeExact(Native.errnoState(), fd, addr, length);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    private void check(String what, int r) {
        if (r < 0) {
            throw new SysException(what, Native.errno(Native.errnoState()));
        }
    }

    public Fd fd() {
        return fd;
    }

    /** One datagram into {@code buffer}: its length (truncated to the buffer), or -1 if none is waiting. */
    public int receive(MemorySegment buffer) {
        try {
            MemorySegment state = Native.errnoState();
            peerLength.set(JAVA_INT, 0, (int) SOCKADDR_UN.byteSize());
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
