package dev.vmm.core.sys;

import static dev.vmm.core.abi.CStruct.bytes;
import static dev.vmm.core.abi.CStruct.struct;
import static dev.vmm.core.abi.CStruct.u32;
import static dev.vmm.core.abi.CStruct.u8;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.vmm.core.abi.CName;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.util.Optional;

/**
 * A terminal switched to raw mode for the guest's serial console (no line editing, no echo, no
 * signals from keys), as QEMU does for {@code -serial stdio}; {@link #close()} restores it.
 */
public final class Terminal implements AutoCloseable {
    /** glibc's {@code struct termios} (bits/termios-struct.h), which tcgetattr fills. */
    static final StructLayout TERMIOS = struct("termios", u32("c_iflag"), u32("c_oflag"), u32("c_cflag"),
            u32("c_lflag"), u8("c_line"), bytes("c_cc", 32), u32("c_ispeed"), u32("c_ospeed"));
    @CName("TCSANOW") static final int TCSANOW = 0;

    /** The ioctl glibc's isatty and tcgetattr make; it fails (ENOTTY) on anything but a terminal. */
    @CName("TCGETS") static final int TCGETS = 0x5401;
    /** The kernel's own {@code struct termios} (asm-generic/termbits.h) is 36 bytes; room to spare. */
    private static final long KERNEL_TERMIOS_ROOM = 64;

    /** Linked only for a terminal: a start with the console on a pipe or a file never needs them. */
    private static final class Libc {
        static final MethodHandle TCGETATTR = Native.downcallWithErrno("tcgetattr",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
        static final MethodHandle TCSETATTR = Native.downcallWithErrno("tcsetattr",
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
        static final MethodHandle CFMAKERAW = Native.downcall("cfmakeraw", FunctionDescriptor.ofVoid(ADDRESS));
    }

    private final int fd;
    private final MemorySegment saved;

    private Terminal(int fd, MemorySegment saved) {
        this.fd = fd;
        this.saved = saved;
    }

    /** Raw mode on {@code fd} if it is a terminal; empty (and nothing changed) otherwise. */
    public static Optional<Terminal> rawIfTerminal(int fd) {
        try {
            if (!isTerminal(fd)) {
                return Optional.empty();
            }
            MemorySegment saved = Arena.ofAuto().allocate(TERMIOS);
            check("tcgetattr", (int) Libc.TCGETATTR.invokeExact(Native.errnoState(), fd, saved));
            MemorySegment raw = Arena.ofAuto().allocate(TERMIOS);
            raw.copyFrom(saved);
            Libc.CFMAKERAW.invokeExact(raw);
            check("tcsetattr", (int) Libc.TCSETATTR.invokeExact(Native.errnoState(), fd, TCSANOW, raw));
            return Optional.of(new Terminal(fd, saved));
        } catch (SysException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    @Override
    public void close() {
        try {
            check("tcsetattr", (int) Libc.TCSETATTR.invokeExact(Native.errnoState(), fd, TCSANOW, saved));
        } catch (SysException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** isatty(3) as glibc makes it: whether TCGETS succeeds. */
    static boolean isTerminal(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            return Syscall.call(Syscall.IOCTL, fd, TCGETS, Syscall.address(arena.allocate(KERNEL_TERMIOS_ROOM, 8))) == 0;
        }
    }

    private static void check(String call, int result) {
        if (result != 0) {
            throw new SysException(call, Native.errno(Native.errnoState()));
        }
    }
}
