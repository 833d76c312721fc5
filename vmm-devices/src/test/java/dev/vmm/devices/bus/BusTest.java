package dev.vmm.devices.bus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BusTest {
    private final List<String> log = new ArrayList<>();

    private BusDevice recorder(String name) {
        return new BusDevice() {
            @Override
            public void read(long offset, MemorySegment data) {
                log.add(name + " read +" + offset);
                IoData.set(data, 0x1234);
            }

            @Override
            public void write(long offset, MemorySegment data) {
                log.add(name + " write +" + offset + "=" + IoData.get(data));
            }
        };
    }

    @Test
    void routesToTheDeviceWithTheOffsetInsideItsRange() {
        Bus bus = new Bus("pio");
        bus.insert(0x3f8, 8, "com1", recorder("com1"));
        bus.insert(0x2f8, 8, "com2", recorder("com2"));
        MemorySegment data = Arena.ofAuto().allocate(2);
        assertThat(bus.read(0x3fd, data)).isTrue();
        assertThat(IoData.get(data)).isEqualTo(0x1234);
        IoData.set(data, 7);
        bus.write(0x2f8, data);
        assertThat(log).containsExactly("com1 read +5", "com2 write +0=7");
        assertThat(bus.find(0x3ff).name()).isEqualTo("com1");
        assertThat(bus.find(0x400)).isNull();
    }

    @Test
    void unclaimedReadsAreAllOnesAndWritesAreDropped() {
        Bus bus = new Bus("mmio");
        MemorySegment data = Arena.ofAuto().allocate(4);
        assertThat(bus.read(0xd0000000L, data)).isFalse();
        assertThat(IoData.get(data)).isEqualTo(0xffffffffL);
        assertThat(bus.write(0xd0000000L, data)).isFalse();
    }

    @Test
    void placementErrorsAreRefusedAtBuildTime() {
        Bus bus = new Bus("pio");
        bus.insert(0x510, 2, "fw_cfg", recorder("a"));
        assertThatThrownBy(() -> bus.insert(0x511, 4, "other", recorder("b")))
                .isInstanceOf(BusException.class).hasMessage("pio: other [0x511-0x514] overlaps fw_cfg [0x510-0x511]");
        assertThatThrownBy(() -> bus.insert(0x500, 0, "empty", recorder("c"))).hasMessageContaining("length 0");
        assertThatThrownBy(() -> bus.insert(-8, 16, "wrap", recorder("d"))).hasMessageContaining("overflows");
        bus.insert(0x512, 2, "next", recorder("e"));
        bus.insert(-16, 16, "top", recorder("f"));
        assertThat(bus.find(-1).name()).isEqualTo("top");
    }

    @Test
    void removalFreesTheRange() {
        Bus bus = new Bus("mmio");
        BusDevice d = recorder("bar");
        bus.insert(0xfebf0000L, 0x1000, "bar", d);
        assertThat(bus.remove(0xfebf0000L)).isSameAs(d);
        assertThat(bus.remove(0xfebf0000L)).isNull();
        bus.insert(0xfebf0800L, 0x1000, "moved", d);
        assertThat(bus.find(0xfebf0000L)).isNull();
    }

    @Test
    void ioDataIsLittleEndian() {
        MemorySegment data = Arena.ofAuto().allocate(8);
        IoData.set(data, 0x0102030405060708L);
        assertThat(data.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0)).isEqualTo((byte) 8);
        assertThat(IoData.get(data)).isEqualTo(0x0102030405060708L);
        assertThat(IoData.get(data.asSlice(0, 2))).isEqualTo(0x0708);
    }
}
