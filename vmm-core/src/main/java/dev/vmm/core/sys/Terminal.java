package dev.vmm.core.sys;

import static dev.vmm.core.abi.CStruct.bytes;
import static dev.vmm.core.abi.CStruct.struct;
import static dev.vmm.core.abi.CStruct.u32;
import static dev.vmm.core.abi.CStruct.u8;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.vmm.core.abi.CName;
import dev.vmm.core.abi.CStruct;
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

    private static final MethodHandle ISATTY = Native.downcall("isatty", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle TCGETATTR = Native.downcallWithErrno("tcgetattr",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle TCSETATTR = Native.downcallWithErrno("tcsetattr",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle CFMAKERAW = Native.downcall("cfmakeraw",
            FunctionDescriptor.ofVoid(ADDRESS));

    private final int fd;
    private final MemorySegment saved;

    private Terminal(int fd, MemorySegment saved) {
        this.fd = fd;
        this.saved = saved;
    }

    /** Raw mode on {@code fd} if it is a terminal; empty (and nothing changed) otherwise. */
    public static Optional<Terminal> rawIfTerminal(int fd) {
        try {
            if ((int) ISATTY.invokeExact(fd) != 1) {
                return Optional.empty();
            }
            MemorySegment saved = Arena.ofAuto().allocate(TERMIOS);
            check("tcgetattr", (int) TCGETATTR.invokeExact(Native.errnoState(), fd, saved));
            MemorySegment raw = Arena.ofAuto().allocate(TERMIOS);
            raw.copyFrom(saved);
            CFMAKERAW.invokeExact(raw);
            check("tcsetattr", (int) TCSETATTR.invokeExact(Native.errnoState(), fd, TCSANOW, raw));
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
            check("tcsetattr", (int) TCSETATTR.invokeExact(Native.errnoState(), fd, TCSANOW, saved));
        } catch (SysException e) {
            throw e;
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    private static void check(String call, int result) {
        if (result != 0) {
            throw new SysException(call, Native.errno(Native.errnoState()));
        }
    }
}
