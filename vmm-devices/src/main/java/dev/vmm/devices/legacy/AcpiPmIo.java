package dev.vmm.devices.legacy;

import dev.vmm.devices.MachineRequest;
import dev.vmm.devices.InterruptLine;
import dev.vmm.devices.bus.BusDevice;
import dev.vmm.devices.bus.IoData;
import java.lang.foreign.MemorySegment;
import java.util.function.LongSupplier;

/**
 * The PIIX4 ACPI power-management I/O block: 64 ports at PMBA (the PM function 00:01.3 maps it;
 * QEMU and OVMF put it at 0xB000). It holds the ACPI fixed registers as QEMU's PIIX4 places them:
 * PM1a_EVT (PM1_STS at +0, PM1_EN at +2), PM1a_CNT at +4 and the PM timer at +8. The rest of the
 * block (PIIX4's GPIO and device-monitor registers) is not modelled and reads as all-ones.
 *
 * <p>The PM timer is a 24-bit counter at 3.579545 MHz (the FADT must not set TMR_VAL_EXT). It is
 * derived from a monotonic clock on every read, without a lock or an allocation: OVMF's delay loops
 * read it millions of times. Its overflow status (TMR_STS) is not modelled: nothing here enables
 * the overflow interrupt, and a timer thread would be needed to raise it.
 *
 * <p>SCI (ISA IRQ 9) is high while an enabled status bit is set, as in QEMU's PIIX4 (which does not
 * gate it on SCI_EN). Sleep requests stop the VM: S5 (SLP_TYP 0) and S4 (2) are power-off; S3 (1)
 * also stops it, since this VMM cannot suspend and resume a guest.
 */
public final class AcpiPmIo implements BusDevice {
    /** Where QEMU's firmware and OVMF put PMBA on i440FX. */
    public static final int QEMU_BASE = 0xb000;
    public static final int SIZE = 64;
    public static final int SCI_IRQ = 9;
    public static final long TIMER_HZ = 3_579_545;
    public static final int TIMER_MASK = 0xff_ffff;

    static final int PM1_STS = 0x00;
    static final int PM1_EN = 0x02;
    static final int PM1_CNT = 0x04;
    static final int PM_TMR = 0x08;
    /** PM1_STS and PM1_EN bits (the same positions in both). */
    static final int TMR = 1;
    static final int GBL = 1 << 5;
    static final int PWRBTN = 1 << 8;
    static final int RTC = 1 << 10;
    /** The events that raise SCI when enabled, as QEMU's PIIX4 lists them. */
    private static final int SCI_EVENTS = TMR | GBL | PWRBTN | RTC;
    static final int SCI_EN = 1;
    static final int SLP_TYP_SHIFT = 10;
    static final int SLP_EN = 1 << 13;
    /** SLP_TYP values QEMU's PIIX4 decodes (its DSDT's \_S3, \_S4 and \_S5 packages). */
    static final int SLP_TYP_S5 = 0;
    static final int SLP_TYP_S3 = 1;
    static final int SLP_TYP_S4 = 2;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final MachineRequest.Sink machine;
    private final InterruptLine sci;
    private final LongSupplier nanoTime;
    private final long origin;
    private int status;
    private int enable;
    private int control;
    private boolean sciLevel;

    public AcpiPmIo(MachineRequest.Sink machine, InterruptLine sci) {
        this(machine, sci, System::nanoTime);
    }

    /** @param nanoTime a monotonic clock in nanoseconds ({@link System#nanoTime} but in tests) */
    public AcpiPmIo(MachineRequest.Sink machine, InterruptLine sci, LongSupplier nanoTime) {
        this.machine = machine;
        this.sci = sci;
        this.nanoTime = nanoTime;
        this.origin = nanoTime.getAsLong();
    }

    /** The PM timer value: ticks since this device was made, modulo 2^24. */
    public int timer() {
        long elapsed = nanoTime.getAsLong() - origin;
        // Split at whole seconds: elapsed * TIMER_HZ would overflow a long after 43 minutes.
        long ticks = elapsed / NANOS_PER_SECOND * TIMER_HZ + elapsed % NANOS_PER_SECOND * TIMER_HZ / NANOS_PER_SECOND;
        return (int) ticks & TIMER_MASK;
    }

    /**
     * The power button: sets PWRBTN_STS, which raises SCI if the guest enabled PWRBTN_EN. Returns
     * whether it did, i.e. whether the guest is listening.
     */
    public synchronized boolean pressPowerButton() {
        status |= PWRBTN;
        updateSci();
        return (enable & PWRBTN) != 0;
    }

    @Override
    public void read(long offset, MemorySegment data) {
        int size = (int) data.byteSize();
        if (offset == PM_TMR && size == 4) {
            IoData.set(data, timer() & 0xffff_ffffL); // the hot path: no lock
            return;
        }
        long value = 0;
        for (int i = size - 1; i >= 0; i--) {
            value = value << 8 | byteAt(offset + i);
        }
        IoData.set(data, value);
    }

    private int byteAt(long offset) {
        if (offset >= PM_TMR && offset < PM_TMR + 4) {
            return timer() >>> 8 * (offset - PM_TMR) & 0xff;
        }
        if (offset < PM1_CNT + 2) {
            return register((int) offset & ~1) >>> 8 * (offset & 1) & 0xff;
        }
        return 0xff;
    }

    private synchronized int register(int offset) {
        return switch (offset) {
            case PM1_STS -> status;
            case PM1_EN -> enable;
            default -> control;
        };
    }

    @Override
    public void write(long offset, MemorySegment data) {
        long value = IoData.get(data);
        MachineRequest stop = null;
        synchronized (this) {
            // Byte and word writes both reach the 16-bit registers: take the bytes each one covers.
            for (int reg = PM1_STS; reg <= PM1_CNT; reg += 2) {
                int mask = 0;
                int bits = 0;
                for (int i = 0; i < data.byteSize(); i++) {
                    long at = offset + i - reg;
                    if (at == 0 || at == 1) {
                        mask |= 0xff << 8 * at;
                        bits |= (int) (value >>> 8 * i & 0xff) << 8 * at;
                    }
                }
                MachineRequest sleep = mask != 0 ? writeRegister(reg, bits, mask) : null;
                stop = sleep != null ? sleep : stop;
            }
            updateSci();
        }
        if (stop != null) {
            machine.request(stop);
        }
    }

    private MachineRequest writeRegister(int reg, int bits, int mask) {
        switch (reg) {
            case PM1_STS -> status &= ~bits; // write 1 to clear
            case PM1_EN -> enable = enable & ~mask | bits;
            default -> {
                int value = control & ~mask | bits;
                control = value & ~SLP_EN; // SLP_EN is write-only: it reads 0
                if ((value & SLP_EN) != 0) {
                    return sleep(value >> SLP_TYP_SHIFT & 7);
                }
            }
        }
        return null;
    }

    private static MachineRequest sleep(int type) {
        return switch (type) {
            case SLP_TYP_S5 -> new MachineRequest.PowerOff("ACPI S5 (PM1a_CNT)");
            case SLP_TYP_S4 -> new MachineRequest.PowerOff("ACPI S4 (PM1a_CNT)");
            case SLP_TYP_S3 -> new MachineRequest.PowerOff("ACPI S3 (PM1a_CNT): suspend is not supported");
            default -> null; // not a sleep state of this chipset, ignored as QEMU does
        };
    }

    private void updateSci() {
        boolean level = (status & enable & SCI_EVENTS) != 0;
        if (level != sciLevel) {
            sciLevel = level;
            sci.setLevel(level);
        }
    }
}
