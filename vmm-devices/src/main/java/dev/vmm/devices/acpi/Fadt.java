package dev.vmm.devices.acpi;

/**
 * The Fixed ACPI Description Table (signature "FACP"), ACPI 6.0 layout: revision 6, minor 0, 276 bytes.
 * It describes the PIIX4 fixed hardware and points at the FACS and the DSDT.
 */
final class Fadt {
    static final String SIGNATURE = "FACP";
    static final int REVISION = 6;
    static final int MINOR_REVISION = 0;
    static final int LENGTH = 276;

    // Field offsets the tests and the pointer patches refer to.
    static final int FIRMWARE_CTRL = 36;
    static final int DSDT = 40;
    static final int X_FIRMWARE_CTRL = 132;
    static final int X_DSDT = 140;

    /** SCI on ISA IRQ 9, level-triggered active-high (see the MADT override), as on PIIX4. */
    static final int SCI_INT = 9;
    /** PIIX4 PM register block layout relative to PMBA. */
    static final int PM1_EVT_OFFSET = 0;
    static final int PM1_EVT_LEN = 4;
    static final int PM1_CNT_OFFSET = 4;
    static final int PM1_CNT_LEN = 2;
    static final int PM_TMR_OFFSET = 8;
    static final int PM_TMR_LEN = 4;
    static final int GPE0_LEN = 4;
    /** P_LVL2_LAT > 100 and P_LVL3_LAT > 1000: C2 and C3 are not supported. */
    static final int C2_UNSUPPORTED = 0x0fff;
    static final int C3_UNSUPPORTED = 0xffff;
    /** The MC146818 RAM index of the century byte (OVMF's PcRtc writes it there). */
    static final int RTC_CENTURY = 0x32;

    // IAPC_BOOT_ARCH: COM1 is an ISA device; no 8042 (the VMM has none), so the OS does not probe one.
    static final int BOOT_ARCH_LEGACY_DEVICES = 1 << 0;

    // Fixed feature flags.
    static final int WBINVD = 1 << 0;
    static final int PROC_C1 = 1 << 2;
    /** Set: there is no fixed-feature sleep button. */
    static final int SLP_BUTTON = 1 << 5;
    /** Clear: the PM timer is 24 bits wide. */
    static final int TMR_VAL_EXT = 1 << 8;
    static final int RESET_REG_SUP = 1 << 10;
    static final int FLAGS = WBINVD | PROC_C1 | SLP_BUTTON | RESET_REG_SUP;

    /** The PIIX3 Reset Control Register; 0x06 (SYS_RST | RST_CPU) is a hard reset, what OVMF writes. */
    static final int RESET_PORT = 0xcf9;
    static final int RESET_VALUE = 0x06;

    private Fadt() {}

    /**
     * The FADT of {@code machine}, pointing at the FACS and DSDT placed at the given offsets of the
     * tables blob {@code blob}.
     */
    static AcpiTable build(AcpiMachine machine, String blob, int facsOffset, int dsdtOffset) {
        int pm = machine.pmIoBase();
        int gpe0 = machine.gpe0IoBase();
        GenericAddress pm1aEvt = GenericAddress.io(pm + PM1_EVT_OFFSET, PM1_EVT_LEN);
        GenericAddress pm1aCnt = GenericAddress.io(pm + PM1_CNT_OFFSET, PM1_CNT_LEN);
        GenericAddress pmTmr = GenericAddress.io(pm + PM_TMR_OFFSET, PM_TMR_LEN);
        GenericAddress gpe0Blk = gpe0 == 0 ? GenericAddress.NONE : GenericAddress.io(gpe0, GPE0_LEN);
        GenericAddress reset = new GenericAddress(
                GenericAddress.SYSTEM_IO, 8, 0, GenericAddress.ACCESS_BYTE, RESET_PORT);

        TableWriter w = TableWriter.sdt(SIGNATURE, REVISION)
                // Only the 32-bit FACS pointer, as QEMU: ACPI wants X_FIRMWARE_CTRL 0 when FIRMWARE_CTRL
                // is used, and the loader puts the tables below 4 GiB anyway.
                .pointer(4, blob, facsOffset)
                .pointer(4, blob, dsdtOffset)
                .u8(0) // reserved (INT_MODEL in ACPI 1.0)
                .u8(0) // preferred PM profile: unspecified
                .u16(SCI_INT)
                .u32(0) // SMI_CMD: no SMI, the machine is always in ACPI mode (SCI_EN is set by OVMF)
                .u8(0) // ACPI_ENABLE
                .u8(0) // ACPI_DISABLE
                .u8(0) // S4BIOS_REQ
                .u8(0) // PSTATE_CNT
                .u32(pm1aEvt.address())
                .u32(0) // PM1b_EVT_BLK
                .u32(pm1aCnt.address())
                .u32(0) // PM1b_CNT_BLK
                .u32(0) // PM2_CNT_BLK
                .u32(pmTmr.address())
                .u32(gpe0Blk.address())
                .u32(0) // GPE1_BLK
                .u8(PM1_EVT_LEN)
                .u8(PM1_CNT_LEN)
                .u8(0) // PM2_CNT_LEN
                .u8(PM_TMR_LEN)
                .u8(gpe0 == 0 ? 0 : GPE0_LEN)
                .u8(0) // GPE1_BLK_LEN
                .u8(0) // GPE1_BASE
                .u8(0) // CST_CNT: no _CST support
                .u16(C2_UNSUPPORTED)
                .u16(C3_UNSUPPORTED)
                .u16(0) // FLUSH_SIZE (WBINVD is set)
                .u16(0) // FLUSH_STRIDE
                .u8(0) // DUTY_OFFSET
                .u8(0) // DUTY_WIDTH: no throttling
                .u8(0) // DAY_ALRM: no RTC day alarm
                .u8(0) // MON_ALRM
                .u8(RTC_CENTURY)
                .u16(BOOT_ARCH_LEGACY_DEVICES)
                .u8(0) // reserved
                .u32(FLAGS)
                .gas(reset)
                .u8(RESET_VALUE)
                .u16(0) // ARM_BOOT_ARCH
                .u8(MINOR_REVISION)
                .u64(0) // X_FIRMWARE_CTRL, see FIRMWARE_CTRL
                .pointer(8, blob, dsdtOffset) // X_DSDT: both DSDT fields, as QEMU
                .gas(pm1aEvt)
                .gas(GenericAddress.NONE) // X_PM1b_EVT_BLK
                .gas(pm1aCnt)
                .gas(GenericAddress.NONE) // X_PM1b_CNT_BLK
                .gas(GenericAddress.NONE) // X_PM2_CNT_BLK
                .gas(pmTmr)
                .gas(gpe0Blk)
                .gas(GenericAddress.NONE) // X_GPE1_BLK
                .gas(GenericAddress.NONE) // SLEEP_CONTROL_REG: only for hardware-reduced ACPI
                .gas(GenericAddress.NONE) // SLEEP_STATUS_REG
                .u64(0); // hypervisor vendor identity
        if (w.position() != LENGTH) {
            throw new IllegalStateException("FADT layout is " + w.position() + " bytes, not " + LENGTH);
        }
        return w.finish();
    }
}
