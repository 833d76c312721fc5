package dev.vmm.devices.pci;

import dev.vmm.devices.bus.Bus;
import dev.vmm.devices.bus.BusDevice;

/**
 * The PIIX4 power-management function at 00:01.3 (8086:7113 rev 3, class 06/80). PMBA (0x40) holds
 * the I/O base of the ACPI PM block and PMREGMISC (0x80) bit 0 enables it; the block is then decoded
 * on the port I/O bus. They start as QEMU leaves them after its firmware (PMBA 0xB001, enabled): OVMF
 * programs them only when the enable bit reads 0, and reads the PM timer address from PMBA. PMBA is a
 * BAR in all but its place and enable bit, so the block follows it as BARs follow theirs.
 */
public final class Piix4PowerManagement extends SimplePciFunction {
    public static final int PMBA = 0x40;
    public static final int PMREGMISC = 0x80;
    public static final int DEFAULT_PM_BASE = 0xb000;
    public static final int PM_BLOCK_SIZE = 64;
    private static final int PMBA_ADDRESS_MASK = 0xffc0;

    private final BarDecoder pmBlock;

    public Piix4PowerManagement(Bus pio, BusDevice pmBlock) {
        this(new BusRelocation(pio, "acpi-pm", pmBlock));
    }

    /** With the PM block's moves told to {@code relocation} instead of placed on a bus directly. */
    public Piix4PowerManagement(BarRelocation relocation) {
        super("PIIX4 power management", new PciConfigSpace(0x8086, 0x7113, 0x03, 0x068000, 0));
        this.pmBlock = new BarDecoder(relocation);
        config.set(PMBA, 4, DEFAULT_PM_BASE | 1);      // bit 0: I/O space indicator, read-only 1
        config.writable(PMBA, 4, PMBA_ADDRESS_MASK);
        config.set(PMREGMISC, 1, 1);
        config.writable(PMREGMISC, 1, 1);
        remap();
    }

    @Override
    public synchronized void writeConfig(int offset, int size, int value) {
        super.writeConfig(offset, size, value);
        if (offset <= PMREGMISC && offset + size > PMBA) {
            remap();
        }
    }

    /** The PM block's current I/O base, or -1 when disabled. */
    public synchronized int pmBase() {
        BarWindow w = pmBlock.window();
        return w == null ? -1 : (int) w.base();
    }

    private void remap() {
        boolean enabled = (config.get(PMREGMISC, 1) & 1) != 0;
        int base = config.get(PMBA, 4) & PMBA_ADDRESS_MASK;
        pmBlock.decode(enabled && base != 0 ? new BarWindow(base, PM_BLOCK_SIZE) : null);
    }
}
