package dev.vmm.devices.pci;

/** Where a function decodes one of its ranges now: {@code [base, base + size)} of I/O or memory space. */
public record BarWindow(long base, long size) {
    public BarWindow {
        if (size <= 0) {
            throw new IllegalArgumentException("empty BAR window at 0x" + Long.toHexString(base));
        }
    }

    public long last() {
        return base + size - 1;
    }

    /*
     * equals and hashCode written out: a record's own are made at their first use by an invokedynamic
     * bootstrap (ObjectMethods) that JDK 25's AOT cache does not keep, and the first BAR decode of a
     * start paid for it: 7 ms (async-profiler, wall clock).
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof BarWindow w && w.base == base && w.size == size;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(base) * 31 + Long.hashCode(size);
    }

    @Override
    public String toString() {
        return String.format("[0x%x-0x%x]", base, last());
    }
}
