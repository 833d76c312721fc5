package dev.vmm.devices.acpi;

/**
 * What the ACPI tables describe: the i440FX/PIIX4 PC this VMM builds.
 *
 * @param cpus vCPUs, 1 to 254; their APIC ids are 0 to cpus - 1 and the I/O APIC takes id {@code cpus}
 * @param pmIoBase the PIIX4 PM I/O block (PMBA), 0xB000 as OVMF programs it: PM1a_EVT at +0, PM1a_CNT at
 *     +4, the PM timer at +8
 * @param gpe0IoBase the GPE0 block (4 bytes), or 0 for none
 * @param pci32 the 32-bit PCI MMIO window OVMF assigns BARs from (below 4 GiB)
 * @param pci64 the 64-bit PCI MMIO window, or {@link MmioWindow#NONE}
 * @param com1Base the COM1 UART's first port
 * @param com1Irq the COM1 UART's ISA IRQ
 */
public record AcpiMachine(
        int cpus, int pmIoBase, int gpe0IoBase, MmioWindow pci32, MmioWindow pci64, int com1Base, int com1Irq) {
    /** PIIX4 PM base as OVMF programs PMBA on i440FX (it writes 0xB001, bit 0 being the I/O-space flag). */
    public static final int PIIX4_PM_BASE = 0xb000;
    /** APIC ids 0-253 for the vCPUs and 254 for the I/O APIC; 0xFF is the broadcast id. */
    public static final int MAX_CPUS = 254;
    private static final long FOUR_GIB = 1L << 32;

    public AcpiMachine {
        if (cpus < 1 || cpus > MAX_CPUS) {
            throw new IllegalArgumentException("cpus must be 1 to " + MAX_CPUS + ", not " + cpus);
        }
        checkPorts("pmIoBase", pmIoBase, 12);
        if (gpe0IoBase != 0) {
            checkPorts("gpe0IoBase", gpe0IoBase, 4);
        }
        checkPorts("com1Base", com1Base, 8);
        if (com1Irq < 0 || com1Irq > 15) {
            throw new IllegalArgumentException("com1Irq must be an ISA IRQ (0-15), not " + com1Irq);
        }
        if (pci32.size() == 0 || pci32.end() > FOUR_GIB) {
            throw new IllegalArgumentException("pci32 must be a non-empty window below 4 GiB: " + pci32);
        }
        if (pci64.size() != 0 && pci64.base() < FOUR_GIB) {
            throw new IllegalArgumentException("pci64 must lie above 4 GiB: " + pci64);
        }
    }

    /**
     * A PC with the PIIX4 PM block where OVMF puts it (0xB000) and COM1 at 0x3F8, IRQ 4, as on QEMU's
     * {@code pc}; no GPE0 block and no 64-bit window until given.
     */
    public static AcpiMachine pc(int cpus, MmioWindow pci32) {
        return new AcpiMachine(cpus, PIIX4_PM_BASE, 0, pci32, MmioWindow.NONE, 0x3f8, 4);
    }

    public AcpiMachine withPci64(MmioWindow window) {
        return new AcpiMachine(cpus, pmIoBase, gpe0IoBase, pci32, window, com1Base, com1Irq);
    }

    public AcpiMachine withGpe0(int ioBase) {
        return new AcpiMachine(cpus, pmIoBase, ioBase, pci32, pci64, com1Base, com1Irq);
    }

    private static void checkPorts(String what, int base, int length) {
        if (base <= 0 || base + length > 0x10000) {
            throw new IllegalArgumentException(
                    String.format("%s 0x%x is not an I/O port block of %d bytes", what, base, length));
        }
    }

    /** A guest-physical MMIO window {@code [base, base + size)}. */
    public record MmioWindow(long base, long size) {
        public static final MmioWindow NONE = new MmioWindow(0, 0);

        public MmioWindow {
            if (base < 0 || size < 0 || base + size < base) {
                throw new IllegalArgumentException(String.format("bad MMIO window 0x%x+0x%x", base, size));
            }
        }

        /** The first address past the window. */
        public long end() {
            return base + size;
        }

        /** The last address in the window, as ACPI's _MAX wants it. */
        public long last() {
            return base + size - 1;
        }
    }
}
