package dev.vmm.devices.pci;

import dev.vmm.core.abi.CName;

/**
 * One base address register of a type-0 header (PCI Local Bus 3.0, 6.2.5.1): I/O or memory, 32- or
 * 64-bit, a power-of-two size. A 64-bit BAR takes {@code index} and {@code index + 1}.
 *
 * <p>The register's writable bits are the address bits at and above the size, so the guest's sizing
 * probe (write all ones, read back) reads {@code ~(size - 1)} with the type bits, as from hardware.
 */
public record PciBar(int index, Type type, long size, boolean prefetchable) {
    @CName("PCI_BASE_ADDRESS_0") public static final int BAR0 = 0x10;
    @CName("PCI_BASE_ADDRESS_5") public static final int BAR5 = 0x24;
    @CName("PCI_BASE_ADDRESS_SPACE_IO") static final int SPACE_IO = 0x01;
    @CName("PCI_BASE_ADDRESS_MEM_TYPE_64") static final int MEM_TYPE_64 = 0x04;
    @CName("PCI_BASE_ADDRESS_MEM_PREFETCH") static final int MEM_PREFETCH = 0x08;
    @CName("PCI_BASE_ADDRESS_IO_MASK") static final long IO_MASK = ~0x03L;
    @CName("PCI_BASE_ADDRESS_MEM_MASK") static final long MEM_MASK = ~0x0fL;
    public static final int COUNT = 6;
    /** The spec's smallest BARs: 4 bytes of I/O, 16 of memory; I/O BARs are at most 256 bytes. */
    static final long MIN_IO = 4;
    static final long MAX_IO = 256;
    static final long MIN_MEMORY = 16;

    public enum Type { IO, MEMORY32, MEMORY64 }

    public PciBar {
        int last = type == Type.MEMORY64 ? COUNT - 2 : COUNT - 1;
        if (index < 0 || index > last) {
            throw new IllegalArgumentException("BAR" + index + ": a " + type + " BAR goes at index 0-" + last);
        }
        long min = type == Type.IO ? MIN_IO : MIN_MEMORY;
        long max = switch (type) {
            case IO -> MAX_IO;
            case MEMORY32 -> 1L << 31;
            case MEMORY64 -> 1L << 62;
        };
        if (Long.bitCount(size) != 1 || size < min || size > max) {
            throw new IllegalArgumentException(String.format("BAR%d: %s size 0x%x is not a power of two in [0x%x, 0x%x]",
                    index, type, size, min, max));
        }
        if (prefetchable && type == Type.IO) {
            throw new IllegalArgumentException("BAR" + index + ": an I/O BAR cannot be prefetchable");
        }
    }

    public static PciBar io(int index, long size) {
        return new PciBar(index, Type.IO, size, false);
    }

    public static PciBar memory32(int index, long size) {
        return new PciBar(index, Type.MEMORY32, size, false);
    }

    public static PciBar memory64(int index, long size, boolean prefetchable) {
        return new PciBar(index, Type.MEMORY64, size, prefetchable);
    }

    /** Config-space offset of the register (the low dword, for a 64-bit BAR). */
    public int offset() {
        return BAR0 + 4 * index;
    }

    /** Bytes of configuration space it covers: 4, or 8 for a 64-bit BAR. */
    public int registerSize() {
        return type == Type.MEMORY64 ? 8 : 4;
    }

    public boolean isIo() {
        return type == Type.IO;
    }

    /** The read-only low bits: space, type, prefetchable. */
    int flags() {
        return switch (type) {
            case IO -> SPACE_IO;
            case MEMORY32 -> prefetchable ? MEM_PREFETCH : 0;
            case MEMORY64 -> MEM_TYPE_64 | (prefetchable ? MEM_PREFETCH : 0);
        };
    }

    /** The guest-writable bits of the whole register (64 bits wide for a 64-bit BAR). */
    long writableMask() {
        long mask = -size & (isIo() ? IO_MASK : MEM_MASK);
        return type == Type.MEMORY64 ? mask : mask & 0xffff_ffffL;
    }
}
