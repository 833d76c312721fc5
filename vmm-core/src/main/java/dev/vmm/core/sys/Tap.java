package dev.vmm.core.sys;

import static dev.vmm.core.abi.CStruct.bytes;
import static dev.vmm.core.abi.CStruct.struct;
import static dev.vmm.core.abi.CStruct.u16;
import static dev.vmm.core.abi.CStruct.u64;
import static dev.vmm.core.abi.CStruct.u8;
import static dev.vmm.core.abi.CStruct.union;

import dev.vmm.core.abi.CName;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * A host TAP interface (Documentation/networking/tuntap.rst): /dev/net/tun attached to the named
 * interface with TUNSETIFF, IFF_TAP without packet information, non-blocking; each read is one
 * Ethernet frame, each write sends one. Attaching needs CAP_NET_ADMIN (or an interface created for
 * this user with {@code ip tuntap add ... user}).
 */
public final class Tap implements AutoCloseable {
    @CName("IFF_TAP") static final int IFF_TAP = 0x0002;
    @CName("IFF_NO_PI") static final int IFF_NO_PI = 0x1000;
    @CName("IFNAMSIZ") static final int IFNAMSIZ = 16;
    /** struct ifreq with the members TUNSETIFF uses: the name, and the flags in the union. */
    public static final StructLayout IFREQ = struct("ifreq", union("ifr_ifrn", bytes("ifrn_name", IFNAMSIZ)).withName("ifr_ifrn"),
            union("ifr_ifru", u16("ifru_flags"), struct("ifmap", u64("mem_start"), u64("mem_end"), u16("base_addr"), u8("irq"),
                    u8("dma"), u8("port")).withName("ifru_map")).withName("ifr_ifru"));
    static final Ioctl TUNSETIFF = Ioctl.iow("TUNSETIFF", 'T', 202, 4);
    public static final String DEVICE = "/dev/net/tun";

    private final Fd fd;

    private Tap(Fd fd) {
        this.fd = fd;
    }

    /** Attaches to TAP interface {@code name} (created if it does not exist and the caller may). */
    public static Tap open(String name) {
        byte[] n = name.getBytes(StandardCharsets.US_ASCII);
        if (n.length == 0 || n.length >= IFNAMSIZ) {
            throw new SysException(name, Errno.EINVAL, "an interface name has 1 to 15 characters");
        }
        Fd fd = Syscalls.open(DEVICE, Syscalls.O_RDWR | Syscalls.O_NONBLOCK);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment ifr = a.allocate(IFREQ);
            MemorySegment.copy(n, 0, ifr, ValueLayout.JAVA_BYTE, 0, n.length);
            ifr.set(ValueLayout.JAVA_SHORT, IFNAMSIZ, (short) (IFF_TAP | IFF_NO_PI));
            int r = Syscalls.ioctlOrErrno(fd, TUNSETIFF, ifr);
            if (r < 0) {
                throw new SysException("TUNSETIFF " + name, -r, -r == Errno.EPERM
                        ? "attaching a TAP interface needs CAP_NET_ADMIN, or one made for this user with ip tuntap add" : null);
            }
        } catch (RuntimeException e) {
            fd.close();
            throw e;
        }
        return new Tap(fd);
    }

    public Fd fd() {
        return fd;
    }

    @Override
    public void close() {
        fd.close();
    }
}
