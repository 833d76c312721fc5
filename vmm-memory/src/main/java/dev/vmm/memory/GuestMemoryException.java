package dev.vmm.memory;

/** An access that does not fall entirely inside one guest memory region (or writes a read-only one). */
public class GuestMemoryException extends RuntimeException {
    private final long gpa;
    private final long length;

    public GuestMemoryException(String what, long gpa, long length) {
        super(what + ": gpa 0x" + Long.toHexString(gpa) + " length " + length);
        this.gpa = gpa;
        this.length = length;
    }

    public long gpa() {
        return gpa;
    }

    public long length() {
        return length;
    }
}
