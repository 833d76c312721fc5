package dev.vmm.memory;

/** A guest-physical address: an unsigned 64-bit value with overflow-checked arithmetic. */
public record GuestAddress(long value) implements Comparable<GuestAddress> {
    public static GuestAddress of(long value) {
        return new GuestAddress(value);
    }

    /** The address {@code offset} bytes on; overflow past 2^64 is an error, not a wrap. */
    public GuestAddress plus(long offset) {
        long r = value + offset;
        if (offset < 0 || Long.compareUnsigned(r, value) < 0) {
            throw new ArithmeticException(this + " + " + offset + " overflows");
        }
        return new GuestAddress(r);
    }

    public boolean isAligned(long alignment) {
        return (value & (alignment - 1)) == 0;
    }

    @Override
    public int compareTo(GuestAddress o) {
        return Long.compareUnsigned(value, o.value);
    }

    @Override
    public String toString() {
        return "0x" + Long.toHexString(value);
    }
}
