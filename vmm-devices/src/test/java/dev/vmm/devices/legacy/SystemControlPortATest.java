package dev.vmm.devices.legacy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmm.devices.MachineRequest;
import dev.vmm.devices.bus.IoData;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SystemControlPortATest {
    private final MemorySegment data = Arena.ofAuto().allocate(1);
    private final List<MachineRequest> stops = new ArrayList<>();
    private final SystemControlPortA port = new SystemControlPortA(stops::add);

    @Test
    void a20ReadsEnabledAndIsWritable() {
        assertThat(read()).isEqualTo(0x02);
        write(read() | 0x02); // what OVMF does
        assertThat(read()).isEqualTo(0x02);
        write(0x00);
        assertThat(read()).isZero();
        assertThat(stops).isEmpty();
    }

    @Test
    void fastResetOnARisingBitZero() {
        write(0x03);
        assertThat(stops).containsExactly(new MachineRequest.Reset("port 0x92 fast reset"));
        write(0x03);
        assertThat(stops).as("bit 0 already set: no new edge").hasSize(1);
        write(0x02);
        write(0x01);
        assertThat(stops).hasSize(2);
    }

    private void write(long value) {
        IoData.set(data, value);
        port.write(0, data);
    }

    private long read() {
        port.read(0, data);
        return IoData.get(data);
    }
}
