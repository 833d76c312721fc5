package dev.vmm.app.devicemanager;

import dev.vmm.core.sys.Errno;
import dev.vmm.core.sys.Fd;
import dev.vmm.core.sys.SysException;
import dev.vmm.core.sys.Syscalls;
import dev.vmm.core.sys.Tap;
import dev.vmm.core.sys.UnixDatagram;
import dev.vmm.devices.virtio.net.VirtioNet;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

/**
 * virtio-net's host side on a non-blocking fd whose reads and writes are whole frames: a TAP interface,
 * or a unix datagram socket connected to a userspace peer. Used on the device's I/O thread only.
 */
public final class FdNetBackend implements VirtioNet.Backend, AutoCloseable {
    private final AutoCloseable owner;
    private final Fd fd;
    private final UnixDatagram socket;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment buffer = arena.allocate(VirtioNet.MAX_FRAME);

    private FdNetBackend(AutoCloseable owner, Fd fd, UnixDatagram socket) {
        this.owner = owner;
        this.fd = fd;
        this.socket = socket;
    }

    public static FdNetBackend tap(String name) {
        Tap tap = Tap.open(name);
        return new FdNetBackend(tap, tap.fd(), null);
    }

    /** Connected to the peer socket bound at {@code path}. */
    public static FdNetBackend socket(Path path) {
        UnixDatagram s = UnixDatagram.connect(path);
        return new FdNetBackend(s, s.fd(), s);
    }

    public Fd fd() {
        return fd;
    }

    @Override
    public int receive(byte[] frame) {
        int n;
        if (socket != null) {
            n = socket.receive(buffer);
        } else {
            long r = Syscalls.readOrErrno(fd, buffer);
            if (r == -Errno.EAGAIN) {
                return -1;
            }
            if (r < 0) {
                throw new SysException("read " + fd, (int) -r);
            }
            n = (int) r;
        }
        if (n > 0) {
            MemorySegment.copy(buffer, ValueLayout.JAVA_BYTE, 0, frame, 0, n);
        }
        return n;
    }

    @Override
    public boolean send(byte[] frame, int length) {
        MemorySegment out = buffer.asSlice(0, length);
        MemorySegment.copy(frame, 0, out, ValueLayout.JAVA_BYTE, 0, length);
        if (socket != null) {
            return socket.send(out);
        }
        long r = Syscalls.writeOrErrno(fd, out);
        return r == length;
    }

    @Override
    public void close() throws Exception {
        owner.close();
        arena.close();
    }
}
