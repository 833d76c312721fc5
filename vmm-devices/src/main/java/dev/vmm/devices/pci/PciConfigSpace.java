package dev.vmm.devices.pci;

import dev.vmm.core.abi.CName;

/**
 * A function's 256-byte configuration space (PCI Local Bus 3.0, chapter 6) with a write mask per byte:
 * bits set in the mask are writable, the rest read-only. Accesses are 1, 2 or 4 bytes, little-endian.
 * BARs added with {@link #addBar} decode as the guest programs them and the command register allows;
 * their relocations run inside {@link #write}.
 */
public final class PciConfigSpace {
    public static final int SIZE = 256;
    public static final int VENDOR_ID = 0x00;
    public static final int DEVICE_ID = 0x02;
    @CName("PCI_COMMAND") public static final int COMMAND = 0x04;
    public static final int STATUS = 0x06;
    public static final int REVISION_ID = 0x08;
    public static final int CLASS_PROG = 0x09;
    public static final int HEADER_TYPE = 0x0e;
    public static final int SUBSYSTEM_VENDOR_ID = 0x2c;
    public static final int SUBSYSTEM_ID = 0x2e;
    public static final int INTERRUPT_LINE = 0x3c;
    public static final int HEADER_MULTI_FUNCTION = 0x80;
    /** Command: I/O space, memory space, bus master: what firmware enables. */
    public static final int COMMAND_IO_MEM_MASTER = 0x7;

    private final byte[] bytes = new byte[SIZE];
    private final byte[] writable = new byte[SIZE];
    private final PciBars bars = new PciBars(this);

    /**
     * A type-0 header: ids, revision, class code (base class, subclass, programming interface as one
     * 24-bit value), header type. Command bits I/O, memory and bus master and the interrupt line are
     * writable, as firmware expects to store them.
     */
    public PciConfigSpace(int vendor, int device, int revision, int classCode, int headerType) {
        set(VENDOR_ID, 2, vendor);
        set(DEVICE_ID, 2, device);
        set(REVISION_ID, 1, revision);
        set(CLASS_PROG, 3, classCode);
        set(HEADER_TYPE, 1, headerType);
        writable(COMMAND, 2, COMMAND_IO_MEM_MASTER);
        writable(INTERRUPT_LINE, 1, 0xff);
    }

    /**
     * Adds a BAR, not decoded until the guest gives it an address and enables its space in the command
     * register; {@code relocation} is told whenever what it decodes changes.
     */
    public void addBar(PciBar bar, BarRelocation relocation) {
        bars.add(bar, relocation);
    }

    /** The window BAR {@code index} decodes now, or null (no such BAR, not decoded). */
    public BarWindow barWindow(int index) {
        return bars.window(index);
    }

    /** Sets a field regardless of the mask (the device's own view). */
    public void set(int offset, int size, int value) {
        for (int i = 0; i < size; i++) {
            bytes[offset + i] = (byte) (value >>> (8 * i));
        }
    }

    /** Makes {@code mask}'s bits of the field writable by the guest. */
    public void writable(int offset, int size, int mask) {
        for (int i = 0; i < size; i++) {
            writable[offset + i] = (byte) (mask >>> (8 * i));
        }
    }

    public int get(int offset, int size) {
        int v = 0;
        for (int i = size - 1; i >= 0; i--) {
            v = v << 8 | (bytes[offset + i] & 0xff);
        }
        return v;
    }

    /** A guest read: out-of-range parts read as zero (the header defines 256 bytes). */
    public int read(int offset, int size) {
        return offset >= 0 && offset + size <= SIZE ? get(offset, size) : 0;
    }

    /** A guest write: only writable bits change; BARs whose window it changes are relocated. */
    public void write(int offset, int size, int value) {
        if (offset < 0 || offset + size > SIZE) {
            return;
        }
        for (int i = 0; i < size; i++) {
            int mask = writable[offset + i] & 0xff;
            int b = value >>> (8 * i) & 0xff;
            bytes[offset + i] = (byte) ((bytes[offset + i] & ~mask) | (b & mask));
        }
        if (PciBars.affects(offset, size)) {
            bars.update();
        }
    }
}
