package dev.vmm.devices.legacy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmm.devices.MachineRequest;
import dev.vmm.devices.bus.IoData;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResetControlTest {
    private final MemorySegment data = Arena.ofAuto().allocate(1);
    private final List<MachineRequest> stops = new ArrayList<>();
    private final ResetControl rcr = new ResetControl(stops::add);

    @Test
    void ovmfColdResetIsAHardReset() {
        write(0x06); // ResetCold: RST_CPU | SYS_RST
        assertThat(stops).containsExactly(new MachineRequest.Reset("PIIX3 reset control 0xCF9, hard reset"));
    }

    @Test
    void rstCpuWithoutSysRstIsASoftReset() {
        write(0x04);
        assertThat(stops).containsExactly(new MachineRequest.Reset("PIIX3 reset control 0xCF9, soft reset"));
    }

    @Test
    void withoutRstCpuNothingResetsAndOnlySysRstIsKept() {
        assertThat(read()).isZero();
        write(0x02);
        assertThat(read()).isEqualTo(0x02);
        write(0xfb); // every bit but RST_CPU
        assertThat(read()).isEqualTo(0x02);
        write(0x00);
        assertThat(read()).isZero();
        assertThat(stops).isEmpty();
    }

    @Test
    void theRegisterTypeIsSysRstThenRstCpu() {
        write(0x02);
        write(0x06);
        assertThat(stops).hasSize(1);
        assertThat(ResetControl.PORT).isEqualTo(0xcf9);
    }

    private void write(int value) {
        IoData.set(data, value);
        rcr.write(0, data);
    }

    private long read() {
        rcr.read(0, data);
        return IoData.get(data);
    }
}
