package dev.vmm.devices.pci;

import dev.vmm.core.abi.CName;

/**
 * The BARs of one configuration space and what they decode. A BAR decodes when the command register
 * enables its space and its address is one the bus can reach; otherwise it is not decoded. The rules are
 * QEMU's pci_bar_address: address 0, a range that wraps, and a 32-bit BAR whose last byte is 0xFFFFFFFF
 * do not decode, so the sizing probe's all-ones value never maps anything; I/O ends at 0xFFFF on x86.
 */
final class PciBars {
    @CName("PCI_COMMAND_IO") static final int COMMAND_IO = 0x1;
    @CName("PCI_COMMAND_MEMORY") static final int COMMAND_MEMORY = 0x2;
    private static final long IO_SPACE_END = 0x1_0000;

    private final PciConfigSpace config;
    private final PciBar[] bars = new PciBar[PciBar.COUNT];
    private final BarDecoder[] decoders = new BarDecoder[PciBar.COUNT];

    PciBars(PciConfigSpace config) {
        this.config = config;
    }

    void add(PciBar bar, BarRelocation relocation) {
        for (int i = bar.index(); i < bar.index() + bar.registerSize() / 4; i++) {
            if (bars[i] != null || (i > 0 && bars[i - 1] != null && bars[i - 1].type() == PciBar.Type.MEMORY64)) {
                throw new IllegalArgumentException("BAR" + bar.index() + ": register " + i + " is taken");
            }
        }
        bars[bar.index()] = bar;
        decoders[bar.index()] = new BarDecoder(relocation);
        long mask = bar.writableMask();
        config.set(bar.offset(), 4, bar.flags());
        config.writable(bar.offset(), 4, (int) mask);
        if (bar.type() == PciBar.Type.MEMORY64) {
            config.set(bar.offset() + 4, 4, 0);
            config.writable(bar.offset() + 4, 4, (int) (mask >>> 32));
        }
    }

    PciBar bar(int index) {
        return bars[index];
    }

    /** The window BAR {@code index} decodes now, or null. */
    BarWindow window(int index) {
        return decoders[index] == null ? null : decoders[index].window();
    }

    /** Whether a write of {@code size} bytes at {@code offset} may change what any BAR decodes. */
    static boolean affects(int offset, int size) {
        return overlaps(offset, size, PciConfigSpace.COMMAND, 2) || overlaps(offset, size, PciBar.BAR0,
                PciBar.BAR5 + 4 - PciBar.BAR0);
    }

    private static boolean overlaps(int offset, int size, int start, int length) {
        return offset < start + length && start < offset + size;
    }

    /** Recomputes every BAR's window from the registers and the command register, relocating what moved. */
    void update() {
        int command = config.get(PciConfigSpace.COMMAND, 2);
        for (PciBar bar : bars) {
            if (bar != null) {
                decoders[bar.index()].decode(decoded(bar, command));
            }
        }
    }

    private BarWindow decoded(PciBar bar, int command) {
        if ((command & (bar.isIo() ? COMMAND_IO : COMMAND_MEMORY)) == 0) {
            return null;
        }
        long register = config.get(bar.offset(), 4) & 0xffff_ffffL;
        if (bar.type() == PciBar.Type.MEMORY64) {
            register |= (config.get(bar.offset() + 4, 4) & 0xffff_ffffL) << 32;
        }
        long base = register & -bar.size();
        long last = base + bar.size() - 1;
        boolean reachable = switch (bar.type()) {
            case IO -> last < IO_SPACE_END;
            case MEMORY32 -> last < 0xffff_ffffL;
            case MEMORY64 -> last != -1L;
        };
        return base == 0 || Long.compareUnsigned(last, base) < 0 || !reachable ? null : new BarWindow(base, bar.size());
    }
}
