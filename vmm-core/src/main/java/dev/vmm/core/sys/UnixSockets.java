package dev.vmm.core.sys;

import static dev.vmm.core.abi.CStruct.bytes;
import static dev.vmm.core.abi.CStruct.struct;
import static dev.vmm.core.abi.CStruct.u16;

import dev.vmm.core.abi.CName;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** What AF_UNIX sockets of either type share (unix(7)): the socket, its address, bind and connect. */
final class UnixSockets {
    @CName("AF_UNIX") static final int AF_UNIX = 1;
    @CName("SOCK_STREAM") static final int SOCK_STREAM = 1;
    @CName("SOCK_DGRAM") static final int SOCK_DGRAM = 2;
    @CName("SOCK_NONBLOCK") static final int SOCK_NONBLOCK = 0x800;
    @CName("SOCK_CLOEXEC") static final int SOCK_CLOEXEC = 0x80000;
    static final StructLayout SOCKADDR_UN = struct("sockaddr_un", u16("sun_family"), bytes("sun_path", 108));
    /** sun_path's size, its terminating NUL included. */
    static final int PATH_MAX = 108;

    private UnixSockets() {}

    /** A non-blocking, close-on-exec socket of {@code type}; {@code what} names it in errors. */
    static Fd open(int type, String what) {
        long raw = Syscall.call(Syscall.SOCKET, AF_UNIX, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (raw < 0) {
            throw new SysException("socket(AF_UNIX, " + (type == SOCK_STREAM ? "SOCK_STREAM" : "SOCK_DGRAM") + ") for "
                    + what, (int) -raw);
        }
        return new Fd((int) raw, what);
    }

    static MemorySegment address(Arena a, Path path) {
        byte[] name = path.toString().getBytes(StandardCharsets.UTF_8);
        if (name.length >= PATH_MAX) {
            throw new SysException(path.toString(), Errno.ENAMETOOLONG, "a unix socket path has at most 107 bytes");
        }
        MemorySegment addr = a.allocate(SOCKADDR_UN);
        addr.set(ValueLayout.JAVA_SHORT, 0, (short) AF_UNIX);
        MemorySegment.copy(name, 0, addr, ValueLayout.JAVA_BYTE, 2, name.length);
        return addr;
    }

    /** bind(2) to {@code addr} of {@code length} bytes (2: autobind to an abstract name). */
    static void bind(Fd fd, MemorySegment addr, int length, String what) {
        try {
            check(what, (int) Syscall.call(Syscall.BIND, fd.raw(), Syscall.address(addr), length));
        } finally {
            Reference.reachabilityFence(addr);
        }
    }

    /** connect(2): 0, or {@code -errno}. */
    static int connect(Fd fd, MemorySegment addr) {
        try {
            return (int) Syscall.call(Syscall.CONNECT, fd.raw(), Syscall.address(addr), SOCKADDR_UN.byteSize());
        } finally {
            Reference.reachabilityFence(addr);
        }
    }

    static void check(String what, int r) {
        if (r < 0) {
            throw new SysException(what, -r);
        }
    }
}
