package dev.vmm.core.sys;

/** A failed system call: names the call (an ioctl's macro name, or the libc function) and the errno. */
public class SysException extends RuntimeException {
    private final String call;
    private final int errno;

    public SysException(String call, int errno) {
        this(call, errno, null);
    }

    public SysException(String call, int errno, String detail) {
        super(call + ": " + Errno.describe(errno) + (detail == null ? "" : " (" + detail + ")"));
        this.call = call;
        this.errno = errno;
    }

    /** The failed call: an ioctl macro name such as {@code KVM_CREATE_VM}, or a libc function. */
    public String call() {
        return call;
    }

    public int errno() {
        return errno;
    }
}
