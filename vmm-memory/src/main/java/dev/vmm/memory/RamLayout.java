package dev.vmm.memory;

/**
 * Where guest RAM goes on an x86 machine: below {@link #LOW_RAM_LIMIT}, and the rest from 4 GiB up.
 * The hole between holds PCI MMIO, the IOAPIC and LAPIC, and the firmware flash below 4 GiB. The 2 GiB
 * split is Q35's (QEMU's pc_q35 moves lowmem to 2 GiB once RAM reaches 2.75 GiB); it leaves the PCIe
 * MMCONFIG window at 0xB0000000 free for either chipset.
 */
public record RamLayout(long lowRamSize, long highRamSize) {
    public static final long LOW_RAM_LIMIT = 0x8000_0000L;
    public static final long HIGH_RAM_START = 1L << 32;
    /** Firmware images end here: the reset vector is at 0xFFFFFFF0. */
    public static final long FIRMWARE_END = 1L << 32;

    public static RamLayout forSize(long ramSize) {
        if (ramSize <= 0 || ramSize % GuestMemoryBuilder.PAGE_SIZE != 0) {
            throw new IllegalArgumentException("RAM size must be a positive multiple of 4 KiB: " + ramSize);
        }
        long low = Math.min(ramSize, LOW_RAM_LIMIT);
        return new RamLayout(low, ramSize - low);
    }

    public long totalSize() {
        return lowRamSize + highRamSize;
    }

    /** Adds the RAM regions ("ram-low", and "ram-high" when there is any) to {@code builder}. */
    public GuestMemoryBuilder addTo(GuestMemoryBuilder builder) {
        builder.add("ram-low", 0, lowRamSize, RegionKind.RAM);
        if (highRamSize > 0) {
            builder.add("ram-high", HIGH_RAM_START, highRamSize, RegionKind.RAM);
        }
        return builder;
    }
}
