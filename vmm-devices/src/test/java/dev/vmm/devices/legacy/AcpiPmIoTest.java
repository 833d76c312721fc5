package dev.vmm.devices.legacy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmm.devices.MachineRequest;
import dev.vmm.devices.bus.IoData;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AcpiPmIoTest {
    private static final long SECOND = 1_000_000_000L;
    /** An arbitrary monotonic-clock origin: the timer counts from the device's creation. */
    private static final long ORIGIN = 123_456_789_012L;

    private final AtomicLong nanos = new AtomicLong(ORIGIN);
    private final List<MachineRequest> stops = new ArrayList<>();
    private final List<Boolean> sci = new ArrayList<>();
    private final AcpiPmIo pm = new AcpiPmIo(stops::add, sci::add, nanos::get);

    @Test
    void timerCountsAt3579545HzFromCreation() {
        assertThat(readTimer()).isZero();
        nanos.set(ORIGIN + 279);
        assertThat(readTimer()).as("279 ns is 0.9987 ticks").isZero();
        nanos.set(ORIGIN + 280);
        assertThat(readTimer()).as("280 ns is 1.0023 ticks").isEqualTo(1);
        nanos.set(ORIGIN + SECOND);
        assertThat(readTimer()).isEqualTo(3_579_545);
        nanos.set(ORIGIN + 2 * SECOND + SECOND / 2);
        assertThat(readTimer()).isEqualTo(3_579_545 * 2 + 1_789_772);
    }

    @Test
    void timerWrapsAt24Bits() {
        long ticks = (1L << 24) + 5;
        nanos.set(ORIGIN + (ticks * SECOND + AcpiPmIo.TIMER_HZ - 1) / AcpiPmIo.TIMER_HZ); // the first nanosecond of that tick
        assertThat(readTimer()).isEqualTo(5);
        nanos.addAndGet(-1);
        assertThat(readTimer()).isEqualTo(4);
    }

    @Test
    void timerStaysExactAfterHoursWithoutOverflow() {
        long elapsed = 10 * 3600 * SECOND + 123_456_789;
        nanos.set(ORIGIN + elapsed);
        long expected = BigInteger.valueOf(elapsed).multiply(BigInteger.valueOf(AcpiPmIo.TIMER_HZ))
                .divide(BigInteger.valueOf(SECOND)).longValue() & AcpiPmIo.TIMER_MASK;
        assertThat(readTimer()).isEqualTo(expected);
    }

    @Test
    void timerBytesAndWordsReadTheSameCounter() {
        nanos.set(ORIGIN + 3 * SECOND); // 10738635 = 0xA3DBCB
        assertThat(read(AcpiPmIo.PM_TMR, 4)).isEqualTo(0x00a3dbcb);
        assertThat(read(AcpiPmIo.PM_TMR, 2)).isEqualTo(0xdbcb);
        assertThat(read(AcpiPmIo.PM_TMR + 2, 1)).isEqualTo(0xa3);
        assertThat(read(AcpiPmIo.PM_TMR + 3, 1)).isZero();
    }

    @Test
    void timerReadsDoNotAllocate() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        MemorySegment data = Arena.ofAuto().allocate(4);
        AcpiPmIo real = new AcpiPmIo(stops::add, sci::add);
        for (int i = 0; i < 20_000; i++) {
            real.read(AcpiPmIo.PM_TMR, data); // warm up
        }
        long id = Thread.currentThread().threadId();
        long before = threads.getThreadAllocatedBytes(id);
        for (int i = 0; i < 100_000; i++) {
            real.read(AcpiPmIo.PM_TMR, data);
        }
        long allocated = threads.getThreadAllocatedBytes(id) - before;
        assertThat(allocated).as("bytes allocated by 100,000 timer reads").isLessThan(10_000);
    }

    @Test
    void powerButtonSetsItsStatusAndRaisesSciOnlyWhenEnabled() {
        assertThat(pm.pressPowerButton()).as("the guest has not enabled it").isFalse();
        assertThat(read(AcpiPmIo.PM1_STS, 2)).isEqualTo(0x0100);
        assertThat(sci).isEmpty();
        write(AcpiPmIo.PM1_EN, 2, 0x0100);
        assertThat(read(AcpiPmIo.PM1_EN, 2)).isEqualTo(0x0100);
        assertThat(sci).as("the pending status raises SCI once enabled").containsExactly(true);
        write(AcpiPmIo.PM1_STS, 2, 0x0100); // write 1 to clear
        assertThat(read(AcpiPmIo.PM1_STS, 2)).isZero();
        assertThat(sci).containsExactly(true, false);
        assertThat(pm.pressPowerButton()).isTrue();
        assertThat(sci).containsExactly(true, false, true);
        assertThat(AcpiPmIo.SCI_IRQ).isEqualTo(9);
    }

    @Test
    void statusBitsClearOnlyWhereOnesAreWritten() {
        pm.pressPowerButton();
        write(AcpiPmIo.PM1_STS, 2, 0);
        write(AcpiPmIo.PM1_STS, 2, 0xfeff);
        assertThat(read(AcpiPmIo.PM1_STS, 2)).isEqualTo(0x0100);
        write(AcpiPmIo.PM1_STS + 1, 1, 0x01); // the byte holding PWRBTN_STS
        assertThat(read(AcpiPmIo.PM1_STS, 2)).isZero();
    }

    @Test
    void ovmfShutdownSequenceIsAnS5PowerOff() {
        // ResetShutdown on i440FX: clear SLP_TYP and SLP_EN, then set SLP_EN ([RUN]: 0x0001, 0x2001).
        write(AcpiPmIo.PM1_CNT, 2, 0x0001);
        assertThat(stops).isEmpty();
        assertThat(read(AcpiPmIo.PM1_CNT, 2)).as("SCI_EN").isEqualTo(0x0001);
        write(AcpiPmIo.PM1_CNT, 2, 0x2001);
        assertThat(stops).containsExactly(new MachineRequest.PowerOff("ACPI S5 (PM1a_CNT)"));
        assertThat(read(AcpiPmIo.PM1_CNT, 2)).as("SLP_EN reads 0").isEqualTo(0x0001);
    }

    @Test
    void sleepTypesAsQemuPiix4DecodesThem() {
        write(AcpiPmIo.PM1_CNT, 2, 2 << 10 | 1 << 13);
        write(AcpiPmIo.PM1_CNT, 2, 1 << 10 | 1 << 13);
        write(AcpiPmIo.PM1_CNT, 2, 5 << 10 | 1 << 13);
        assertThat(stops).containsExactly(new MachineRequest.PowerOff("ACPI S4 (PM1a_CNT)"),
                new MachineRequest.PowerOff("ACPI S3 (PM1a_CNT): suspend is not supported"));
        assertThat(read(AcpiPmIo.PM1_CNT, 2)).as("SLP_TYP is kept").isEqualTo(5 << 10);
    }

    @Test
    void slpTypWithoutSlpEnDoesNothing() {
        write(AcpiPmIo.PM1_CNT, 2, 0x1c01);
        assertThat(stops).isEmpty();
        assertThat(read(AcpiPmIo.PM1_CNT, 2)).isEqualTo(0x1c01);
    }

    @Test
    void aByteWriteOfTheHighControlByteKeepsTheLowByte() {
        write(AcpiPmIo.PM1_CNT, 1, 0x01);
        write(AcpiPmIo.PM1_CNT + 1, 1, 0x20);
        assertThat(stops).containsExactly(new MachineRequest.PowerOff("ACPI S5 (PM1a_CNT)"));
        assertThat(read(AcpiPmIo.PM1_CNT, 2)).isEqualTo(0x0001);
    }

    @Test
    void aDwordWriteAtTheEventBlockReachesStatusAndEnable() {
        pm.pressPowerButton();
        write(AcpiPmIo.PM1_STS, 4, 0x0100_0100); // clear PWRBTN_STS, enable PWRBTN_EN
        assertThat(read(AcpiPmIo.PM1_STS, 4)).isEqualTo(0x0100_0000);
    }

    @Test
    void unmodelledPortsReadAllOnesAndTheTimerIsReadOnly() {
        assertThat(read(0x06, 2)).isEqualTo(0xffff);
        assertThat(read(0x0c, 4)).isEqualTo(0xffff_ffffL);
        assertThat(read(0x3f, 1)).isEqualTo(0xff);
        write(0x0c, 4, 0);
        write(AcpiPmIo.PM_TMR, 4, 0x1234);
        assertThat(readTimer()).isZero();
        assertThat(stops).isEmpty();
    }

    private long readTimer() {
        long viaPort = read(AcpiPmIo.PM_TMR, 4);
        assertThat(viaPort).isEqualTo(pm.timer());
        return viaPort;
    }

    private long read(int offset, int size) {
        MemorySegment data = Arena.ofAuto().allocate(size);
        pm.read(offset, data);
        return IoData.get(data);
    }

    private void write(int offset, int size, long value) {
        MemorySegment data = Arena.ofAuto().allocate(size);
        IoData.set(data, value);
        pm.write(offset, data);
    }
}
