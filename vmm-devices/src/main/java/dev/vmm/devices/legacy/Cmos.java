package dev.vmm.devices.legacy;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import dev.vmm.devices.bus.BusDevice;
import java.lang.foreign.MemorySegment;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * The PC's MC146818 real-time clock and its 128 bytes of CMOS RAM: an index register at port 0x70
 * (bit 7 masks NMI) and the data register at 0x71.
 *
 * <p>The time is the injected {@link Clock} (in its zone; QEMU's default is UTC) plus an offset that
 * guest writes set, so the guest can change its clock without touching the host's. The format follows
 * register B: BCD or binary, 12 or 24 hours. With B.SET the clock holds still and the time registers
 * are plain bytes until SET is cleared, when they become the new time (how firmware sets the clock).
 * UIP reads set for the last 244 µs before each second boundary, as QEMU's model does, so a guest that
 * waits for it to clear has that long to read a consistent time.
 *
 * <p>No interrupts: periodic, alarm and update-ended interrupts (IRQ 8) are not generated, since
 * nothing this VMM runs consumes them (OVMF and Linux read the time by polling). Register C still
 * reports update-ended (UF) after a second boundary, and clears on read.
 */
public final class Cmos implements BusDevice {
    public static final int IO_BASE = 0x70;
    public static final int IO_SIZE = 2;

    static final int SECONDS = 0x00;
    static final int MINUTES = 0x02;
    static final int HOURS = 0x04;
    static final int DAY_OF_WEEK = 0x06;
    static final int DAY_OF_MONTH = 0x07;
    static final int MONTH = 0x08;
    static final int YEAR = 0x09;
    static final int REG_A = 0x0a;
    static final int REG_B = 0x0b;
    static final int REG_C = 0x0c;
    static final int REG_D = 0x0d;
    static final int SHUTDOWN_STATUS = 0x0f;
    static final int CENTURY = 0x32;
    private static final int[] TIME_REGISTERS = {SECONDS, MINUTES, HOURS, DAY_OF_WEEK, DAY_OF_MONTH, MONTH, YEAR,
            CENTURY};

    static final int A_UIP = 0x80;
    static final int B_SET = 0x80;
    static final int B_UIE = 0x10;
    static final int B_BINARY = 0x04;
    static final int B_24H = 0x02;
    static final int C_IRQF = 0x80;
    static final int C_UF = 0x10;
    static final int D_VRT = 0x80;
    static final int NMI_MASK = 0x80;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    /** UIP is high for 8 periods of the 32.768 kHz time base before an update. */
    static final long UIP_NANOS = 8 * NANOS_PER_SECOND / 32768;
    private static final long KIB = 1024;
    private static final long MIB = 1024 * KIB;

    private final Clock clock;
    private final byte[] ram = new byte[128];
    private int index;
    private boolean nmiMasked;
    /** RTC time minus host (zone-local) time, in nanoseconds. */
    private long offsetNanos;
    /** The RTC second when register C was last read: a later second means an update happened. */
    private long lastUpdateSeen;

    public Cmos(Clock clock) {
        this.clock = clock;
        // The power-on values QEMU gives these registers; OVMF rewrites A and B with the same values.
        ram[REG_A] = 0x26; // 32.768 kHz divider, 1024 Hz periodic rate
        ram[REG_B] = B_24H; // BCD, 24 hours
        lastUpdateSeen = Math.floorDiv(rtcNanos(hostNanos()), NANOS_PER_SECOND);
    }

    /**
     * A CMOS whose memory-size bytes describe the guest's RAM the way QEMU's pc_cmos_init does:
     * {@code lowRamBytes} from address 0 and {@code highRamBytes} from 4 GiB up.
     */
    public static Cmos withMemorySize(Clock clock, long lowRamBytes, long highRamBytes) {
        Cmos cmos = new Cmos(clock);
        cmos.setMemorySize(lowRamBytes, highRamBytes);
        return cmos;
    }

    synchronized void setMemorySize(long lowRamBytes, long highRamBytes) {
        setWord(0x15, Math.min(lowRamBytes / KIB, 640)); // base memory in KiB
        long extended = lowRamBytes > MIB ? Math.min((lowRamBytes - MIB) / KIB, 0xffff) : 0; // above 1 MiB, in KiB
        setWord(0x17, extended);
        setWord(0x30, extended);
        setWord(0x34, lowRamBytes > 16 * MIB ? Math.min((lowRamBytes - 16 * MIB) / (64 * KIB), 0xffff) : 0);
        long high = Math.min(highRamBytes / (64 * KIB), 0xff_ffff); // above 4 GiB, in 64 KiB units
        setWord(0x5b, high);
        ram[0x5d] = (byte) (high >> 16);
    }

    private void setWord(int at, long value) {
        ram[at] = (byte) value;
        ram[at + 1] = (byte) (value >> 8);
    }

    /** Whether the guest last wrote the index register with the NMI-disable bit. */
    public synchronized boolean nmiMasked() {
        return nmiMasked;
    }

    @Override
    public synchronized void read(long offset, MemorySegment data) {
        for (int i = 0; i < data.byteSize(); i++) {
            // The index register is write-only; QEMU reads it as 0xFF.
            int value = offset + i == 1 ? readRegister(index) : 0xff;
            data.set(JAVA_BYTE, i, (byte) value);
        }
    }

    @Override
    public synchronized void write(long offset, MemorySegment data) {
        for (int i = 0; i < data.byteSize(); i++) {
            int value = data.get(JAVA_BYTE, i) & 0xff;
            if (offset + i == 0) {
                index = value & 0x7f;
                nmiMasked = (value & NMI_MASK) != 0;
            } else if (offset + i == 1) {
                writeRegister(index, value);
            }
        }
    }

    synchronized int readRegister(int reg) {
        long now = hostNanos();
        int b = ram[REG_B] & 0xff;
        return switch (reg) {
            case REG_A -> ram[REG_A] & 0x7f | (updateInProgress(now) ? A_UIP : 0);
            case REG_C -> {
                long second = Math.floorDiv(rtcNanos(now), NANOS_PER_SECOND);
                boolean updated = running() && second != lastUpdateSeen;
                lastUpdateSeen = second;
                yield updated ? C_UF | ((b & B_UIE) != 0 ? C_IRQF : 0) : 0;
            }
            case REG_D -> D_VRT; // the battery is always good
            default -> isTimeRegister(reg) && running()
                    ? timeRegister(reg, Math.floorDiv(rtcNanos(now), NANOS_PER_SECOND), b)
                    : ram[reg] & 0xff;
        };
    }

    synchronized void writeRegister(int reg, int value) {
        switch (reg) {
            case REG_A -> ram[REG_A] = (byte) (value & 0x7f); // UIP is read-only
            case REG_B -> writeB(value);
            case REG_C, REG_D -> { } // read-only
            default -> {
                if (isTimeRegister(reg) && running()) {
                    setTimeRegister(reg, value);
                } else {
                    ram[reg] = (byte) value;
                }
            }
        }
    }

    private void writeB(int value) {
        boolean wasSet = !running();
        boolean set = (value & B_SET) != 0;
        if (set) {
            value &= ~B_UIE; // as on the MC146818: no update interrupts while the clock is held
            if (!wasSet) {
                // Hold the time: the registers keep the current time, in the format being written.
                long second = Math.floorDiv(rtcNanos(hostNanos()), NANOS_PER_SECOND);
                for (int reg : TIME_REGISTERS) {
                    ram[reg] = (byte) timeRegister(reg, second, value);
                }
            }
        } else if (wasSet) {
            // The held registers become the time; the sub-second phase carries on, as in QEMU.
            setTime(parse(ram, value));
        }
        ram[REG_B] = (byte) value;
    }

    /** A direct write to one time register of a running clock moves the clock to match. */
    private void setTimeRegister(int reg, int value) {
        if (reg == DAY_OF_WEEK) {
            return; // derived from the date, as QEMU does: writing it changes nothing
        }
        int b = ram[REG_B] & 0xff;
        long second = Math.floorDiv(rtcNanos(hostNanos()), NANOS_PER_SECOND);
        byte[] regs = new byte[ram.length];
        for (int r : TIME_REGISTERS) {
            regs[r] = (byte) timeRegister(r, second, b);
        }
        regs[reg] = (byte) value;
        setTime(parse(regs, b));
    }

    private void setTime(long rtcSecond) {
        long now = hostNanos();
        long phase = Math.floorMod(rtcNanos(now), NANOS_PER_SECOND);
        offsetNanos = rtcSecond * NANOS_PER_SECOND + phase - now;
        lastUpdateSeen = rtcSecond;
    }

    private boolean running() {
        return (ram[REG_B] & B_SET) == 0;
    }

    private boolean updateInProgress(long now) {
        return running() && Math.floorMod(rtcNanos(now), NANOS_PER_SECOND) >= NANOS_PER_SECOND - UIP_NANOS;
    }

    private static boolean isTimeRegister(int reg) {
        for (int r : TIME_REGISTERS) {
            if (r == reg) {
                return true;
            }
        }
        return false;
    }

    /** Host time in the clock's zone, as nanoseconds since 1970-01-01T00:00 local. */
    private long hostNanos() {
        Instant now = clock.instant();
        long local = now.getEpochSecond() + clock.getZone().getRules().getOffset(now).getTotalSeconds();
        return local * NANOS_PER_SECOND + now.getNano();
    }

    private long rtcNanos(long hostNanos) {
        return hostNanos + offsetNanos;
    }

    private static int timeRegister(int reg, long rtcSecond, int b) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(rtcSecond, 0, ZoneOffset.UTC);
        return switch (reg) {
            case SECONDS -> encode(t.getSecond(), b);
            case MINUTES -> encode(t.getMinute(), b);
            case HOURS -> encodeHours(t.getHour(), b);
            case DAY_OF_WEEK -> encode(t.getDayOfWeek().getValue() % 7 + 1, b); // Sunday is 1
            case DAY_OF_MONTH -> encode(t.getDayOfMonth(), b);
            case MONTH -> encode(t.getMonthValue(), b);
            case YEAR -> encode(t.getYear() % 100, b);
            case CENTURY -> encode(t.getYear() / 100, b);
            default -> throw new IllegalArgumentException("not a time register: " + reg);
        };
    }

    private static int encode(int value, int b) {
        return (b & B_BINARY) != 0 ? value : value / 10 << 4 | value % 10;
    }

    private static int encodeHours(int hour, int b) {
        if ((b & B_24H) != 0) {
            return encode(hour, b);
        }
        int h12 = hour % 12 == 0 ? 12 : hour % 12;
        return encode(h12, b) | (hour >= 12 ? 0x80 : 0); // bit 7 is PM
    }

    private static int decode(byte raw, int b) {
        int value = raw & 0xff;
        return (b & B_BINARY) != 0 ? value : (value >> 4) * 10 + (value & 0xf);
    }

    /**
     * The time the registers hold, normalised the way mktime does (a day 31 in a 30-day month is the
     * 1st of the next), so that no guest value is refused.
     */
    private static long parse(byte[] regs, int b) {
        int hours;
        if ((b & B_24H) != 0) {
            hours = decode(regs[HOURS], b);
        } else {
            hours = decode((byte) (regs[HOURS] & 0x7f), b) % 12 + ((regs[HOURS] & 0x80) != 0 ? 12 : 0);
        }
        int year = decode(regs[CENTURY], b) * 100 + decode(regs[YEAR], b);
        return LocalDateTime.of(year, 1, 1, 0, 0)
                .plusMonths(decode(regs[MONTH], b) - 1L)
                .plusDays(decode(regs[DAY_OF_MONTH], b) - 1L)
                .plusHours(hours)
                .plusMinutes(decode(regs[MINUTES], b))
                .plusSeconds(decode(regs[SECONDS], b))
                .toEpochSecond(ZoneOffset.UTC);
    }
}
