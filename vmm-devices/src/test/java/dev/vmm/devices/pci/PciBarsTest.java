package dev.vmm.devices.pci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmm.devices.bus.Bus;
import dev.vmm.devices.bus.BusDevice;
import dev.vmm.devices.bus.IoData;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** BAR emulation in the configuration space: sizing, decoding gated by the command register, relocation. */
class PciBarsTest {
    private static final int COMMAND = PciConfigSpace.COMMAND;
    private final List<String> moves = new ArrayList<>();
    private final PciConfigSpace config = new PciConfigSpace(0x1af4, 0x1000, 0, 0x020000, 0);

    private BarRelocation recorder(String name) {
        return (from, to) -> moves.add(name + " " + from + " -> " + to);
    }

    @Test
    void writingAllOnesReadsBackTheSizeAndTheTypeBits() {
        config.addBar(PciBar.io(0, 32), recorder("io"));
        config.addBar(PciBar.memory32(1, 0x1000), recorder("mem"));
        config.addBar(PciBar.memory64(2, 0x2000, true), recorder("mem64"));
        config.addBar(PciBar.memory64(4, 8L << 30, false), recorder("big"));
        assertThat(config.read(0x10, 4)).as("type bits before any write").isEqualTo(0x1);
        assertThat(config.read(0x18, 4)).isEqualTo(0xc);
        for (int offset = 0x10; offset <= 0x24; offset += 4) {
            config.write(offset, 4, -1);
        }
        assertThat(config.read(0x10, 4)).as("I/O, 32 bytes").isEqualTo(0xffffffe1);
        assertThat(config.read(0x14, 4)).as("memory, 4 KiB").isEqualTo(0xfffff000);
        assertThat(config.read(0x18, 4)).as("64-bit prefetchable, 8 KiB").isEqualTo(0xffffe00c);
        assertThat(config.read(0x1c, 4)).isEqualTo(-1);
        assertThat(config.read(0x20, 4)).as("8 GiB: no address bit in the low dword").isEqualTo(0x4);
        assertThat(config.read(0x24, 4)).isEqualTo(0xfffffffe);
        assertThat(moves).as("decoding is off: nothing is mapped").isEmpty();
    }

    @Test
    void theCommandRegisterGatesDecodingAndMovesAreReported() {
        config.addBar(PciBar.io(0, 32), recorder("io"));
        config.addBar(PciBar.memory32(1, 0x1000), recorder("mem"));
        config.write(0x10, 4, 0xc001);
        config.write(0x14, 4, 0x8000_0000);
        assertThat(moves).isEmpty();
        config.write(COMMAND, 2, PciBars.COMMAND_MEMORY);
        assertThat(moves).containsExactly("mem null -> [0x80000000-0x80000fff]");
        config.write(COMMAND, 2, PciBars.COMMAND_MEMORY | PciBars.COMMAND_IO);
        assertThat(moves).last().isEqualTo("io null -> [0xc000-0xc01f]");
        config.write(0x15, 1, 0x20);        // a byte write: address bits 15:8
        assertThat(moves).last().isEqualTo("mem [0x80000000-0x80000fff] -> [0x80002000-0x80002fff]");
        assertThat(config.barWindow(1)).isEqualTo(new BarWindow(0x8000_2000L, 0x1000));
        config.write(COMMAND, 2, PciBars.COMMAND_IO);
        assertThat(moves).last().isEqualTo("mem [0x80002000-0x80002fff] -> null");
        assertThat(config.barWindow(1)).isNull();
        config.write(COMMAND, 2, PciBars.COMMAND_IO);
        assertThat(moves).as("a write that changes nothing relocates nothing").hasSize(4);
    }

    @Test
    void aProbeWithDecodingOnUnmapsAndRestoringTheAddressMapsAgain() {
        config.addBar(PciBar.memory32(1, 0x1000), recorder("mem"));
        config.addBar(PciBar.io(0, 16), recorder("io"));
        config.write(0x14, 4, 0xfebf_0000);
        config.write(0x10, 4, 0xfff0);
        config.write(COMMAND, 2, PciBars.COMMAND_MEMORY | PciBars.COMMAND_IO);
        moves.clear();
        config.write(0x14, 4, -1);
        config.write(0x10, 4, -1);
        assertThat(moves).containsExactly("mem [0xfebf0000-0xfebf0fff] -> null", "io [0xfff0-0xffff] -> null");
        config.write(0x14, 4, 0xfebf_0000);
        config.write(0x10, 4, 0x1_0000);
        assertThat(moves).last().as("an I/O BAR beyond 64 KiB decodes nothing").isEqualTo("mem null -> [0xfebf0000-0xfebf0fff]");
        config.write(0x14, 4, 0);
        assertThat(moves).last().as("address 0 decodes nothing").isEqualTo("mem [0xfebf0000-0xfebf0fff] -> null");
    }

    @Test
    void a64BitBarMovesWithEachDwordWritten() {
        config.addBar(PciBar.memory64(2, 0x4000, true), recorder("mem64"));
        config.write(COMMAND, 2, PciBars.COMMAND_MEMORY);
        config.write(0x18, 4, 0xc000_0000);
        config.write(0x1c, 4, 0x1);
        assertThat(moves).containsExactly("mem64 null -> [0xc0000000-0xc0003fff]",
                "mem64 [0xc0000000-0xc0003fff] -> [0x1c0000000-0x1c0003fff]");
        config.write(0x1c, 4, -1);
        config.write(0x18, 4, -1);
        assertThat(moves).last().as("the all-ones probe of both halves").isEqualTo(
                "mem64 [0xffffffffc0000000-0xffffffffc0003fff] -> null");
    }

    @Test
    void barDefinitionsAreChecked() {
        assertThatThrownBy(() -> PciBar.io(0, 512)).hasMessage("BAR0: IO size 0x200 is not a power of two in [0x4, 0x100]");
        assertThatThrownBy(() -> PciBar.memory32(1, 0x1800)).hasMessageContaining("not a power of two");
        assertThatThrownBy(() -> PciBar.memory32(1, 8)).hasMessageContaining("[0x10,");
        assertThatThrownBy(() -> PciBar.memory64(5, 0x1000, false)).hasMessage("BAR5: a MEMORY64 BAR goes at index 0-4");
        assertThatThrownBy(() -> new PciBar(0, PciBar.Type.IO, 16, true)).hasMessageContaining("prefetchable");
        config.addBar(PciBar.memory64(0, 0x1000, false), recorder("a"));
        assertThatThrownBy(() -> config.addBar(PciBar.io(1, 16), recorder("b"))).hasMessage("BAR1: register 1 is taken");
        assertThatThrownBy(() -> config.addBar(PciBar.memory32(0, 0x1000), recorder("c"))).hasMessage("BAR0: register 0 is taken");
    }

    @Test
    void aBusRelocationFollowsTheBarAndNeverTakesAnotherDevicesRange() {
        Bus mmio = new Bus("mmio");
        BusDevice mine = device();
        BusDevice other = device();
        mmio.insert(0x9000_0000L, 0x1000, "other", other);
        config.addBar(PciBar.memory32(0, 0x1000), new BusRelocation(mmio, "virtio-bar0", mine));
        config.write(0x10, 4, 0x8000_0000);
        config.write(COMMAND, 2, PciBars.COMMAND_MEMORY);
        assertThat(mmio.find(0x8000_0800L).name()).isEqualTo("virtio-bar0");
        config.write(0x10, 4, 0x9000_0000);
        assertThat(mmio.find(0x8000_0800L)).as("moved away").isNull();
        assertThat(mmio.find(0x9000_0000L).device()).as("the overlap is refused, the other stays").isSameAs(other);
        config.write(0x10, 4, 0xa000_0000);
        assertThat(mmio.find(0x9000_0000L).device()).as("leaving does not remove the other").isSameAs(other);
        assertThat(mmio.find(0xa000_0fffL).device()).isSameAs(mine);
        config.write(COMMAND, 2, 0);
        assertThat(mmio.ranges()).hasSize(1);
    }

    @Test
    void thePiix4PmBlockFollowsPmbaThroughTheSameRelocation() {
        Piix4PowerManagement pm = new Piix4PowerManagement(recorder("pm"));
        assertThat(moves).containsExactly("pm null -> [0xb000-0xb03f]");
        pm.writeConfig(Piix4PowerManagement.PMBA, 4, 0x6001);
        pm.writeConfig(Piix4PowerManagement.PMREGMISC, 1, 0);
        pm.writeConfig(Piix4PowerManagement.PMBA, 2, 0x7000);
        assertThat(moves).containsExactly("pm null -> [0xb000-0xb03f]", "pm [0xb000-0xb03f] -> [0x6000-0x603f]",
                "pm [0x6000-0x603f] -> null");
        assertThat(pm.pmBase()).isEqualTo(-1);
        pm.writeConfig(Piix4PowerManagement.PMREGMISC, 1, 1);
        assertThat(pm.pmBase()).isEqualTo(0x7000);
    }

    private static BusDevice device() {
        return new BusDevice() {
            @Override
            public void read(long offset, MemorySegment data) {
                IoData.set(data, 0);
            }

            @Override
            public void write(long offset, MemorySegment data) {}
        };
    }
}
