package dev.vmm.devices.acpi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Command layouts of edk2's QemuLoader.h: a u32 type, then packed fields, 128 bytes in all. */
class TableLoaderTest {
    private static ByteBuffer command(byte[] script, int index) {
        return ByteBuffer.wrap(Arrays.copyOfRange(script, 128 * index, 128 * (index + 1))).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static String name(ByteBuffer c, int at) {
        byte[] raw = new byte[56];
        c.get(at, raw);
        assertThat(raw[55]).as("NUL at the end of the 56-byte name").isZero();
        return new String(raw).replace("\0", "");
    }

    @Test
    void commandsArePackedAfterTheirType() {
        byte[] script = new TableLoader()
                .allocate("etc/acpi/tables", 64, TableLoader.ZONE_HIGH)
                .addPointer("etc/acpi/tables", 0x1234, 8, "etc/acpi/rsdp")
                .addChecksum("etc/acpi/tables", 9, 0x40, 0x100)
                .toBytes();
        assertThat(script).hasSize(3 * 128);

        ByteBuffer allocate = command(script, 0);
        assertThat(allocate.getInt(0)).isEqualTo(1);
        assertThat(name(allocate, 4)).isEqualTo("etc/acpi/tables");
        assertThat(allocate.getInt(60)).isEqualTo(64);
        assertThat(allocate.get(64)).isEqualTo((byte) 1);

        ByteBuffer pointer = command(script, 1);
        assertThat(pointer.getInt(0)).isEqualTo(2);
        assertThat(name(pointer, 4)).isEqualTo("etc/acpi/tables");
        assertThat(name(pointer, 60)).isEqualTo("etc/acpi/rsdp");
        assertThat(pointer.getInt(116)).isEqualTo(0x1234);
        assertThat(pointer.get(120)).isEqualTo((byte) 8);

        ByteBuffer checksum = command(script, 2);
        assertThat(checksum.getInt(0)).isEqualTo(3);
        assertThat(name(checksum, 4)).isEqualTo("etc/acpi/tables");
        assertThat(new int[] {checksum.getInt(60), checksum.getInt(64), checksum.getInt(68)})
                .containsExactly(9, 0x40, 0x100);
    }

    @Test
    void refusesWhatOvmfWouldRefuse() {
        TableLoader loader = new TableLoader();
        assertThatThrownBy(() -> loader.allocate("etc/x", 8192, TableLoader.ZONE_HIGH))
                .hasMessageContaining("alignment");
        assertThatThrownBy(() -> loader.allocate("etc/x", 48, TableLoader.ZONE_HIGH))
                .hasMessageContaining("alignment");
        assertThatThrownBy(() -> loader.addPointer("a", 0, 3, "b")).hasMessageContaining("1, 2, 4 or 8");
        assertThatThrownBy(() -> loader.allocate("x".repeat(56), 16, TableLoader.ZONE_FSEG))
                .hasMessageContaining("55 bytes");
        assertThat(loader.toBytes()).isEmpty();
    }
}
