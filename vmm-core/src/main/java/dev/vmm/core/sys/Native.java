package dev.vmm.core.sys;

import dev.vmm.core.abi.AbiExempt;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * Links libc functions: {@link Syscall}'s {@code syscall(2)}, which every system call goes through, and
 * the few calls that are libc's own work (termios, error texts), linked only when needed. Functions
 * that report failure through errno are linked with {@code captureCallState("errno")}: their handle
 * takes a leading capture segment: by default this thread's, or the caller's own {@link ErrnoSlot}.
 */
final class Native {
    static final Linker LINKER = Linker.nativeLinker();
    @AbiExempt("defined by the JDK, not by a header")
    static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CAPTURE_LAYOUT.varHandle(StructLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    private static final ThreadLocal<ErrnoSlot> CAPTURE = ThreadLocal.withInitial(ErrnoSlot::new);

    private Native() {}

    static MethodHandle downcall(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        MemorySegment symbol = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no symbol " + name));
        return LINKER.downcallHandle(symbol, descriptor, options);
    }

    /** A handle whose first parameter is the errno capture segment (see {@link ErrnoSlot}). */
    static MethodHandle downcallWithErrno(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        Linker.Option[] all = new Linker.Option[options.length + 1];
        all[0] = CAPTURE_ERRNO;
        System.arraycopy(options, 0, all, 1, options.length);
        return downcall(name, descriptor, all);
    }

    /** This thread's capture segment; valid until the thread's next call that captures errno. */
    static MemorySegment errnoState() {
        return CAPTURE.get().segment;
    }

    static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }
}
