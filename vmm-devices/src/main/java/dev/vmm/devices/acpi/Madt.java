package dev.vmm.devices.acpi;

/**
 * The Multiple APIC Description Table (signature "APIC"), ACPI 6.0 (revision 4): one local APIC per
 * vCPU, KVM's in-kernel I/O APIC, and the interrupt wiring of QEMU's PC (the 8254 timer on pin 2, the
 * SCI level-triggered, LINT1 as NMI on every CPU).
 */
final class Madt {
    static final String SIGNATURE = "APIC";
    static final int REVISION = 4;
    static final long LOCAL_APIC_ADDRESS = 0xfee0_0000L;
    static final long IO_APIC_ADDRESS = 0xfec0_0000L;
    /** Dual 8259 PICs are present and must be masked by an OS that uses the APICs. */
    static final int PCAT_COMPAT = 1;

    static final int PROCESSOR_LOCAL_APIC = 0;
    static final int IO_APIC = 1;
    static final int INTERRUPT_SOURCE_OVERRIDE = 2;
    static final int LOCAL_APIC_NMI = 4;
    static final int LOCAL_APIC_ENABLED = 1;
    /** MPS INTI flags: active high (01) and level-triggered (11 << 2). */
    static final int ACTIVE_HIGH_LEVEL = 0x0d;
    static final int ALL_PROCESSORS = 0xff;
    static final int ISA_BUS = 0;

    private Madt() {}

    static AcpiTable build(AcpiMachine machine) {
        TableWriter w = TableWriter.sdt(SIGNATURE, REVISION)
                .u32(LOCAL_APIC_ADDRESS)
                .u32(PCAT_COMPAT);
        for (int cpu = 0; cpu < machine.cpus(); cpu++) {
            // ACPI processor UID = APIC id = index, as KVM numbers the vCPUs.
            w.u8(PROCESSOR_LOCAL_APIC).u8(8).u8(cpu).u8(cpu).u32(LOCAL_APIC_ENABLED);
        }
        w.u8(IO_APIC).u8(12).u8(machine.cpus()).u8(0).u32(IO_APIC_ADDRESS).u32(0);
        // The 8254 PIT's IRQ 0 is wired to I/O APIC pin 2; the flags 0 mean "as the ISA bus" (edge, high).
        interruptSourceOverride(w, 0, 2, 0);
        interruptSourceOverride(w, Fadt.SCI_INT, Fadt.SCI_INT, ACTIVE_HIGH_LEVEL);
        w.u8(LOCAL_APIC_NMI).u8(6).u8(ALL_PROCESSORS).u16(0).u8(1); // LINT1, conforming polarity and trigger
        return w.finish();
    }

    private static void interruptSourceOverride(TableWriter w, int irq, int gsi, int flags) {
        w.u8(INTERRUPT_SOURCE_OVERRIDE).u8(10).u8(ISA_BUS).u8(irq).u32(gsi).u16(flags);
    }
}
