package dev.vmm.devices.legacy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmm.devices.bus.IoData;
import dev.vmm.memory.RamLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class CmosTest {
    /** Wednesday 2025-11-26 21:07:59 UTC, on a whole second. */
    private static final Instant WEDNESDAY = Instant.parse("2025-11-26T21:07:59Z");
    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;

    private final MemorySegment data = Arena.ofAuto().allocate(2);
    private final MutableClock clock = new MutableClock(WEDNESDAY, ZoneOffset.UTC);
    private final Cmos cmos = new Cmos(clock);

    @Test
    void timeRegistersReadTheClockInBcd24Hours() {
        assertThat(time(cmos)).isEqualTo("59 07 21 04 26 11 25 20");
        assertThat(read(cmos, Cmos.REG_B)).isEqualTo(0x02);
    }

    @Test
    void binaryAnd12HourFormatsFollowRegisterB() {
        write(cmos, Cmos.REG_B, Cmos.B_BINARY | Cmos.B_24H);
        assertThat(time(cmos)).isEqualTo("3b 07 15 04 1a 0b 19 14");
        write(cmos, Cmos.REG_B, 0); // BCD, 12 hours: 21:07 is 9 PM
        assertThat(read(cmos, Cmos.HOURS)).isEqualTo(0x89);
        clock.set(Instant.parse("2025-11-26T00:30:00Z"));
        assertThat(read(cmos, Cmos.HOURS)).as("midnight is 12 AM").isEqualTo(0x12);
        clock.set(Instant.parse("2025-11-26T12:30:00Z"));
        assertThat(read(cmos, Cmos.HOURS)).as("noon is 12 PM").isEqualTo(0x92);
        write(cmos, Cmos.REG_B, Cmos.B_BINARY);
        assertThat(read(cmos, Cmos.HOURS)).isEqualTo(0x80 | 12);
    }

    @Test
    void theClockZoneIsTheRtcZone() {
        Cmos berlin = new Cmos(Clock.fixed(WEDNESDAY, ZoneId.of("Europe/Berlin")));
        assertThat(time(berlin)).isEqualTo("59 07 22 04 26 11 25 20");
    }

    @Test
    void theIndexIsSevenBitsAndBitSevenMasksNmi() {
        IoData.set(data.asSlice(0, 1), 0x80 | Cmos.MINUTES);
        cmos.write(0, data.asSlice(0, 1));
        assertThat(cmos.nmiMasked()).isTrue();
        cmos.read(1, data.asSlice(0, 1));
        assertThat(IoData.get(data.asSlice(0, 1))).isEqualTo(0x07);
        cmos.read(0, data.asSlice(0, 1));
        assertThat(IoData.get(data.asSlice(0, 1))).as("the index port is write-only").isEqualTo(0xff);
        read(cmos, Cmos.SECONDS);
        assertThat(cmos.nmiMasked()).isFalse();
    }

    @Test
    void uipIsClearExceptInTheLast244MicrosecondsOfASecond() {
        assertThat(read(cmos, Cmos.REG_A)).isEqualTo(0x26);
        clock.set(WEDNESDAY.plusNanos(999_755_859));
        assertThat(read(cmos, Cmos.REG_A)).isEqualTo(0x26);
        clock.set(WEDNESDAY.plusNanos(999_755_860));
        assertThat(read(cmos, Cmos.REG_A)).isEqualTo(0x80 | 0x26);
        clock.set(WEDNESDAY.plusSeconds(1));
        assertThat(read(cmos, Cmos.REG_A)).isEqualTo(0x26);
        assertThat(Cmos.UIP_NANOS).isEqualTo(244_140);
    }

    @Test
    void registerADividerIsWritableAndUipIsNot() {
        write(cmos, Cmos.REG_A, 0x80 | 0x2f);
        assertThat(read(cmos, Cmos.REG_A)).isEqualTo(0x2f);
        write(cmos, Cmos.REG_A, 0x26); // what OVMF writes
        assertThat(read(cmos, Cmos.REG_A)).isEqualTo(0x26);
    }

    @Test
    void registerDReportsValidRamAndTimeAndIgnoresWrites() {
        write(cmos, Cmos.REG_D, 0); // OVMF writes 0
        assertThat(read(cmos, Cmos.REG_D)).isEqualTo(0x80);
    }

    @Test
    void registerCReportsAnUpdateOnceAndClearsOnRead() {
        assertThat(read(cmos, Cmos.REG_C)).isZero();
        clock.advance(Duration.ofMillis(1500));
        assertThat(read(cmos, Cmos.REG_C)).isEqualTo(Cmos.C_UF);
        assertThat(read(cmos, Cmos.REG_C)).isZero();
        write(cmos, Cmos.REG_B, Cmos.B_24H | Cmos.B_UIE);
        clock.advance(Duration.ofSeconds(1));
        assertThat(read(cmos, Cmos.REG_C)).isEqualTo(Cmos.C_IRQF | Cmos.C_UF);
        write(cmos, Cmos.REG_C, 0xff);
        assertThat(read(cmos, Cmos.REG_C)).isZero();
    }

    @Test
    void settingTheTimeMovesTheRtcNotTheHostClock() {
        // PcRtc's SetTime: hold the clock, write the registers, let it run.
        write(cmos, Cmos.REG_B, Cmos.B_SET | Cmos.B_24H);
        assertThat(read(cmos, Cmos.REG_B)).isEqualTo(0x82);
        write(cmos, Cmos.SECONDS, 0x00);
        write(cmos, Cmos.MINUTES, 0x30);
        write(cmos, Cmos.HOURS, 0x08);
        write(cmos, Cmos.DAY_OF_MONTH, 0x01);
        write(cmos, Cmos.MONTH, 0x01);
        write(cmos, Cmos.YEAR, 0x30);
        write(cmos, Cmos.CENTURY, 0x20);
        clock.advance(Duration.ofSeconds(10));
        assertThat(time(cmos)).as("held while SET").isEqualTo("00 30 08 04 01 01 30 20");
        assertThat(read(cmos, Cmos.REG_A) & Cmos.A_UIP).isZero();
        write(cmos, Cmos.REG_B, Cmos.B_24H);
        assertThat(time(cmos)).as("2030-01-01 is a Tuesday").isEqualTo("00 30 08 03 01 01 30 20");
        clock.advance(Duration.ofSeconds(61));
        assertThat(time(cmos)).isEqualTo("01 31 08 03 01 01 30 20");
        assertThat(clock.instant()).isEqualTo(WEDNESDAY.plusSeconds(71));
        assertThat(time(new Cmos(clock))).as("another RTC on the same host clock").isEqualTo("10 09 21 04 26 11 25 20");
    }

    @Test
    void holdingTheClockLatchesTheTimeInTheNewFormat() {
        write(cmos, Cmos.REG_B, Cmos.B_SET | Cmos.B_BINARY | Cmos.B_24H);
        clock.advance(Duration.ofMinutes(5));
        assertThat(time(cmos)).isEqualTo("3b 07 15 04 1a 0b 19 14");
        write(cmos, Cmos.REG_B, Cmos.B_BINARY | Cmos.B_24H);
        assertThat(time(cmos)).as("resumes from the held time").isEqualTo("3b 07 15 04 1a 0b 19 14");
    }

    @Test
    void aDirectWriteToARunningClockChangesThatField() {
        write(cmos, Cmos.MINUTES, 0x15);
        assertThat(time(cmos)).isEqualTo("59 15 21 04 26 11 25 20");
        write(cmos, Cmos.DAY_OF_WEEK, 0x07);
        assertThat(read(cmos, Cmos.DAY_OF_WEEK)).as("derived from the date").isEqualTo(0x04);
        clock.advance(Duration.ofSeconds(2));
        assertThat(time(cmos)).isEqualTo("01 16 21 04 26 11 25 20");
    }

    @Test
    void outOfRangeDatesAreNormalisedNotRefused() {
        write(cmos, Cmos.REG_B, Cmos.B_SET | Cmos.B_24H);
        write(cmos, Cmos.DAY_OF_MONTH, 0x31);
        write(cmos, Cmos.MONTH, 0x02);
        write(cmos, Cmos.YEAR, 0x30);
        write(cmos, Cmos.REG_B, Cmos.B_24H);
        assertThat(read(cmos, Cmos.DAY_OF_MONTH)).isEqualTo(0x03);
        assertThat(read(cmos, Cmos.MONTH)).isEqualTo(0x03);
    }

    @Test
    void shutdownStatusAndOtherBytesAreRam() {
        write(cmos, Cmos.SHUTDOWN_STATUS, 0xfe);
        assertThat(read(cmos, Cmos.SHUTDOWN_STATUS)).isEqualTo(0xfe);
        write(cmos, Cmos.SHUTDOWN_STATUS, 0);
        assertThat(read(cmos, Cmos.SHUTDOWN_STATUS)).isZero();
        write(cmos, 0x01, 0x45); // the seconds alarm: kept, never fires
        assertThat(read(cmos, 0x01)).isEqualTo(0x45);
        write(cmos, 0x7f, 0xa5);
        assertThat(read(cmos, 0x7f)).isEqualTo(0xa5);
    }

    @Test
    void aWordWriteSetsIndexThenData() {
        IoData.set(data, 0xfe << 8 | Cmos.SHUTDOWN_STATUS); // outw 0x70: index to 0x70, data to 0x71
        cmos.write(0, data);
        assertThat(read(cmos, Cmos.SHUTDOWN_STATUS)).isEqualTo(0xfe);
    }

    @Test
    void memorySizeFor128MiB() {
        Cmos c = Cmos.withMemorySize(clock, 128 * MIB, 0);
        assertThat(word(c, 0x15)).as("base memory, KiB").isEqualTo(640);
        assertThat(word(c, 0x17)).as("above 1 MiB, KiB, capped").isEqualTo(0xffff);
        assertThat(word(c, 0x30)).isEqualTo(0xffff);
        assertThat(word(c, 0x34)).as("16 MiB to the end of low RAM, 64 KiB units").isEqualTo(0x0700);
        assertThat(high(c)).isZero();
    }

    @Test
    void memorySizeFor3GiBAsThisVmmSplitsIt() {
        RamLayout layout = RamLayout.forSize(3 * GIB); // 2 GiB low, 1 GiB from 4 GiB
        Cmos c = Cmos.withMemorySize(clock, layout.lowRamSize(), layout.highRamSize());
        assertThat(word(c, 0x34)).isEqualTo(0x7f00);
        assertThat(read(c, 0x5b)).isEqualTo(0x00);
        assertThat(read(c, 0x5c)).isEqualTo(0x40);
        assertThat(read(c, 0x5d)).isEqualTo(0x00);
    }

    @Test
    void memorySizeFor3GiBAllBelow4GiB() {
        Cmos c = Cmos.withMemorySize(clock, 3 * GIB, 0);
        assertThat(word(c, 0x34)).isEqualTo(0xbf00);
        assertThat(high(c)).isZero();
    }

    @Test
    void memorySizeFor6GiB() {
        RamLayout layout = RamLayout.forSize(6 * GIB);
        Cmos c = Cmos.withMemorySize(clock, layout.lowRamSize(), layout.highRamSize());
        assertThat(word(c, 0x15)).isEqualTo(640);
        assertThat(word(c, 0x34)).isEqualTo(0x7f00);
        assertThat(high(c)).as("4 GiB in 64 KiB units").isEqualTo(0x01_0000);
        assertThat(read(c, 0x5d)).isEqualTo(0x01);
    }

    @Test
    void memorySizeBelow16MiB() {
        Cmos c = Cmos.withMemorySize(clock, 8 * MIB, 0);
        assertThat(word(c, 0x17)).isEqualTo(7 * 1024);
        assertThat(word(c, 0x34)).isZero();
    }

    private int read(Cmos c, int reg) {
        IoData.set(data.asSlice(0, 1), reg);
        c.write(0, data.asSlice(0, 1));
        c.read(1, data.asSlice(0, 1));
        return (int) IoData.get(data.asSlice(0, 1));
    }

    private void write(Cmos c, int reg, int value) {
        IoData.set(data.asSlice(0, 1), reg);
        c.write(0, data.asSlice(0, 1));
        IoData.set(data.asSlice(0, 1), value);
        c.write(1, data.asSlice(0, 1));
    }

    private int word(Cmos c, int reg) {
        return read(c, reg) | read(c, reg + 1) << 8;
    }

    private int high(Cmos c) {
        return read(c, 0x5b) | read(c, 0x5c) << 8 | read(c, 0x5d) << 16;
    }

    /** Seconds, minutes, hours, day of week, day, month, year, century, as hex bytes. */
    private String time(Cmos c) {
        int[] regs = {Cmos.SECONDS, Cmos.MINUTES, Cmos.HOURS, Cmos.DAY_OF_WEEK, Cmos.DAY_OF_MONTH, Cmos.MONTH,
                Cmos.YEAR, Cmos.CENTURY};
        StringBuilder s = new StringBuilder();
        for (int reg : regs) {
            s.append(s.isEmpty() ? "" : " ").append(String.format("%02x", read(c, reg)));
        }
        return s.toString();
    }

    static final class MutableClock extends Clock {
        private volatile Instant now;
        private final ZoneId zone;

        MutableClock(Instant now, ZoneId zone) {
            this.now = now;
            this.zone = zone;
        }

        void set(Instant instant) {
            now = instant;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneId getZone() {
            return zone;
        }

        @Override
        public Clock withZone(ZoneId z) {
            return new MutableClock(now, z);
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
