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

    @Override
    public String toString() {
        return String.format("[0x%x-0x%x]", base, last());
    }
}
