package dev.vmm.devices.pci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmm.devices.bus.Bus;
import dev.vmm.devices.bus.BusDevice;
import dev.vmm.devices.bus.IoData;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/** Configuration mechanism #1 and the i440FX/PIIX functions, as OVMF's PlatformPei and PciBusDxe use them. */
class PciHostTest {
    private final Bus pio = new Bus("pio");
    private final PciHost host = new PciHost();
    private final BusDevice pmBlock = new BusDevice() {
        @Override
        public void read(long offset, MemorySegment data) {
            IoData.set(data, 0x1234);
        }

        @Override
        public void write(long offset, MemorySegment data) {}
    };

    PciHostTest() {
        pio.insert(PciHost.CONFIG_ADDRESS_PORT, 4, "pci-address", host.addressPort());
        pio.insert(PciHost.CONFIG_DATA_PORT, 4, "pci-data", host.dataPort());
        host.add(0, 0, SimplePciFunction.i440fxHostBridge());
        host.add(1, 0, SimplePciFunction.piix3IsaBridge());
        host.add(1, 3, new Piix4PowerManagement(pio, pmBlock));
    }

    private long config(int dev, int fn, int offset, int size) {
        MemorySegment a = Arena.ofAuto().allocate(4);
        IoData.set(a, 0x80000000L | dev << 11 | fn << 8 | (offset & 0xfc));
        pio.write(0xcf8, a);
        MemorySegment d = Arena.ofAuto().allocate(size);
        pio.read(0xcfc + (offset & 3), d);
        return IoData.get(d);
    }

    private void writeConfig(int dev, int fn, int offset, int size, long value) {
        MemorySegment a = Arena.ofAuto().allocate(4);
        IoData.set(a, 0x80000000L | dev << 11 | fn << 8 | (offset & 0xfc));
        pio.write(0xcf8, a);
        MemorySegment d = Arena.ofAuto().allocate(size);
        IoData.set(d, value);
        pio.write(0xcfc + (offset & 3), d);
    }

    @Test
    void theHostBridgeIdentifiesAnI440fx() {
        assertThat(config(0, 0, 0x02, 2)).as("device id OVMF reads at 00:00.0 offset 2").isEqualTo(0x1237);
        assertThat(config(0, 0, 0x00, 4)).isEqualTo(0x12378086L);
        assertThat(config(0, 0, 0x08, 4) >>> 8).as("class code").isEqualTo(0x060000);
    }

    @Test
    void theIsaBridgeIsMultiFunctionWithStorableCommandBits() {
        assertThat(config(1, 0, 0x0a, 2)).as("class 06/01").isEqualTo(0x0601);
        assertThat(config(1, 0, 0x0e, 1)).isEqualTo(0x80);
        writeConfig(1, 0, 0x04, 2, 0xffff);
        assertThat(config(1, 0, 0x04, 2)).isEqualTo(0x7);
        writeConfig(1, 0, 0x60, 4, 0x0b0b0a0aL);
        assertThat(config(1, 0, 0x61, 1)).isEqualTo(0x0a);
    }

    @Test
    void absentFunctionsAndOtherBusesReadAllOnes() {
        assertThat(config(5, 0, 0, 4)).isEqualTo(0xffffffffL);
        assertThat(config(1, 1, 0, 2)).isEqualTo(0xffff);
        MemorySegment a = Arena.ofAuto().allocate(4);
        IoData.set(a, 0x80010000L);      // bus 1
        pio.write(0xcf8, a);
        MemorySegment d = Arena.ofAuto().allocate(4);
        pio.read(0xcfc, d);
        assertThat(IoData.get(d)).isEqualTo(0xffffffffL);
    }

    @Test
    void thePmBlockFollowsPmbaAndPmregmisc() {
        assertThat(config(1, 3, 0x40, 4)).as("PMBA as QEMU leaves it").isEqualTo(0xb001);
        assertThat(config(1, 3, 0x80, 1)).isEqualTo(1);
        assertThat(pio.find(0xb008).name()).isEqualTo("acpi-pm");
        writeConfig(1, 3, 0x40, 4, 0x6000);
        assertThat(config(1, 3, 0x40, 4)).as("bit 0 stays set").isEqualTo(0x6001);
        assertThat(pio.find(0xb008)).isNull();
        assertThat(pio.find(0x6008).name()).isEqualTo("acpi-pm");
        writeConfig(1, 3, 0x80, 1, 0);
        assertThat(pio.find(0x6008)).isNull();
    }

    @Test
    void narrowAddressWritesDoNotChangeTheAddressRegister() {
        config(0, 0, 0, 4);
        MemorySegment b = Arena.ofAuto().allocate(1);
        IoData.set(b, 0);
        pio.write(0xcf8, b);
        MemorySegment a = Arena.ofAuto().allocate(4);
        pio.read(0xcf8, a);
        assertThat(IoData.get(a)).isEqualTo(0x80000000L);
    }

    @Test
    void placementIsChecked() {
        assertThatThrownBy(() -> host.add(0, 0, SimplePciFunction.i440fxHostBridge())).hasMessageContaining("00:00.0");
        assertThatThrownBy(() -> host.add(32, 0, SimplePciFunction.i440fxHostBridge())).isInstanceOf(IllegalArgumentException.class);
    }
}
