package dev.vmm.firmware.linux;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The guest's physical memory map as the kernel is told it (the e820 table of the zero page, the PVH
 * memmap): ascending, non-overlapping ranges of RAM and reserved memory.
 */
public record MemoryMap(List<Entry> entries) {
    /** E820_TYPE_RAM, E820_TYPE_RESERVED, E820_TYPE_ACPI: the same numbers in e820 and PVH's memmap. */
    public static final int RAM = 1;
    public static final int RESERVED = 2;
    public static final int ACPI = 3;

    public record Entry(long address, long size, int type) {
        public long end() {
            return address + size;
        }
    }

    public MemoryMap {
        entries = entries.stream().sorted(Comparator.comparingLong(Entry::address)).toList();
        for (int i = 1; i < entries.size(); i++) {
            if (entries.get(i).address() < entries.get(i - 1).end()) {
                throw new IllegalArgumentException("memory map entries overlap: " + entries.get(i - 1) + ", " + entries.get(i));
            }
        }
    }

    /** Whether {@code [address, address + size)} is all RAM, within one entry. */
    public boolean isRam(long address, long size) {
        return entries.stream().anyMatch(e -> e.type() == RAM && e.address() <= address && address + size <= e.end());
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private final List<Entry> entries = new ArrayList<>();

        public Builder add(long address, long size, int type) {
            if (size > 0) {
                entries.add(new Entry(address, size, type));
            }
            return this;
        }

        public MemoryMap build() {
            return new MemoryMap(entries);
        }
    }
}
