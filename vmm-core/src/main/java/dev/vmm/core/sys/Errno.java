package dev.vmm.core.sys;

import dev.vmm.core.abi.CName;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/** errno values the VMM reacts to, and their names and texts from libc. */
public final class Errno {
    @CName("EPERM") public static final int EPERM = 1;
    @CName("ENOENT") public static final int ENOENT = 2;
    @CName("ESRCH") public static final int ESRCH = 3;
    @CName("EINTR") public static final int EINTR = 4;
    @CName("EIO") public static final int EIO = 5;
    @CName("ENXIO") public static final int ENXIO = 6;
    @CName("E2BIG") public static final int E2BIG = 7;
    @CName("EBADF") public static final int EBADF = 9;
    @CName("EAGAIN") public static final int EAGAIN = 11;
    @CName("ENOMEM") public static final int ENOMEM = 12;
    @CName("EACCES") public static final int EACCES = 13;
    @CName("EFAULT") public static final int EFAULT = 14;
    @CName("EBUSY") public static final int EBUSY = 16;
    @CName("EEXIST") public static final int EEXIST = 17;
    @CName("ENODEV") public static final int ENODEV = 19;
    @CName("EINVAL") public static final int EINVAL = 22;
    @CName("ENOTTY") public static final int ENOTTY = 25;
    @CName("ENOSPC") public static final int ENOSPC = 28;
    @CName("EPIPE") public static final int EPIPE = 32;
    @CName("ENAMETOOLONG") public static final int ENAMETOOLONG = 36;
    @CName("EOPNOTSUPP") public static final int EOPNOTSUPP = 95;
    @CName("ECONNABORTED") public static final int ECONNABORTED = 103;
    @CName("ECONNRESET") public static final int ECONNRESET = 104;
    @CName("ENOTCONN") public static final int ENOTCONN = 107;
    @CName("ECONNREFUSED") public static final int ECONNREFUSED = 111;
    /**
     * The kernel-internal ENOTSUPP of include/linux/errno.h, which some drivers leak to user space (the
     * ccp driver's GET_ID on SEV firmware below API 0.16). No UAPI header and no libc knows it.
     */
    public static final int ENOTSUPP = 524;
    private static final String ENOTSUPP_TEXT = "kernel-internal: not supported by this firmware/kernel";

    /** Linked on first use: only error paths need the texts. */
    private static final class Texts {
        static final MethodHandle STRERRORNAME_NP =
                Native.downcall("strerrorname_np", FunctionDescriptor.of(ADDRESS, JAVA_INT));
        static final MethodHandle STRERROR =
                Native.downcall("strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));
    }

    private Errno() {}

    /** For example {@code "ENOENT (No such file or directory)"}. */
    public static String describe(int errno) {
        return name(errno) + " (" + (errno == ENOTSUPP ? ENOTSUPP_TEXT : cString(Texts.STRERROR, errno)) + ")";
    }

    /** The symbolic name, for example {@code "EINTR"}; {@code "errno N"} when libc has none. */
    public static String name(int errno) {
        if (errno == ENOTSUPP) {
            return "ENOTSUPP";
        }
        String name = cString(Texts.STRERRORNAME_NP, errno);
        return name == null ? "errno " + errno : name;
    }

    private static String cString(MethodHandle function, int errno) {
        try {
            MemorySegment s = (MemorySegment) function.invokeExact(errno);
            return s.equals(MemorySegment.NULL) ? null : s.reinterpret(256).getString(0);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }
}
