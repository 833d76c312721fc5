package dev.vmm.devices.legacy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmm.devices.MachineRequest;
import dev.vmm.devices.bus.IoData;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SmallDevicesTest {
    private final MemorySegment data = Arena.ofAuto().allocate(2);

    @Test
    void debugExitStopsWithTheValueWritten() {
        List<MachineRequest> stops = new ArrayList<>();
        DebugExit exit = new DebugExit(stops::add);
        IoData.set(data.asSlice(0, 1), 42);
        exit.write(0, data.asSlice(0, 1));
        IoData.set(data, 0x1ff);
        exit.write(0, data);
        assertThat(stops).containsExactly(new MachineRequest.GuestExit(42), new MachineRequest.GuestExit(0xff));
    }

    @Test
    void debugconPrintsAndAnswersThePresenceProbe() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        DebugCon con = new DebugCon(out);
        IoData.set(data.asSlice(0, 1), 'A');
        con.write(0, data.asSlice(0, 1));
        con.read(0, data.asSlice(0, 1));
        assertThat(out.toString()).isEqualTo("A");
        assertThat(IoData.get(data.asSlice(0, 1))).isEqualTo(DebugCon.PRESENCE_VALUE);
    }

    @Test
    void postCodeKeepsTheLastCode() {
        PostCode post = new PostCode();
        assertThat(post.lastCode()).isEqualTo(-1);
        IoData.set(data.asSlice(0, 1), 0x3c);
        post.write(0, data.asSlice(0, 1));
        assertThat(post.lastCode()).isEqualTo(0x3c);
        post.read(0, data.asSlice(0, 1));
        assertThat(IoData.get(data.asSlice(0, 1))).isEqualTo(0xff);
    }
}
