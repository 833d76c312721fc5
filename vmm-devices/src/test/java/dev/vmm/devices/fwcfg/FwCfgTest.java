package dev.vmm.devices.fwcfg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmm.devices.bus.IoData;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FwCfgTest {
    private final FwCfg fwCfg = new FwCfg();
    private final MemorySegment sel = Arena.ofAuto().allocate(2);
    private final MemorySegment data = Arena.ofAuto().allocate(1);

    private byte[] readItem(int key, int length) {
        IoData.set(sel, key);
        fwCfg.write(0, sel);
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            fwCfg.read(1, data);
            b[i] = (byte) IoData.get(data);
        }
        return b;
    }

    @Test
    void signatureIdAndCpuCount() {
        fwCfg.addCpuCount(3);
        assertThat(new String(readItem(FwCfg.SIGNATURE, 4), StandardCharsets.US_ASCII)).isEqualTo("QEMU");
        assertThat(readItem(FwCfg.ID, 4)).containsExactly(1, 0, 0, 0);
        assertThat(readItem(FwCfg.NB_CPUS, 2)).containsExactly(3, 0);
        // Past the end, and an unknown item, read as zeros.
        assertThat(readItem(FwCfg.NB_CPUS, 4)).containsExactly(3, 0, 0, 0);
        assertThat(readItem(0x1234, 2)).containsExactly(0, 0);
    }

    @Test
    void filesAreListedSortedByNameInBigEndian() {
        fwCfg.addFile("opt/z", new byte[] {9}).addFile("opt/a", "hello".getBytes());
        ByteBuffer dir = ByteBuffer.wrap(readItem(FwCfg.FILE_DIR, 4 + 2 * 64));
        assertThat(dir.getInt()).isEqualTo(2);
        assertThat(dir.getInt()).isEqualTo(5);
        int selector = dir.getShort() & 0xffff;
        assertThat(selector).isEqualTo(FwCfg.FILE_FIRST);
        dir.getShort();
        byte[] name = new byte[56];
        dir.get(name);
        assertThat(new String(name, StandardCharsets.US_ASCII).trim()).startsWith("opt/a");
        assertThat(new String(readItem(selector, 5))).isEqualTo("hello");
        assertThat(dir.getInt()).isEqualTo(1);
        assertThat(dir.getShort() & 0xffff).isEqualTo(FwCfg.FILE_FIRST + 1);
    }

    @Test
    void itemsAreFixedOnceTheGuestLooked() {
        readItem(FwCfg.SIGNATURE, 1);
        assertThatThrownBy(() -> fwCfg.addFile("opt/late", new byte[0])).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void refusesBadNamesDuplicatesAndReservedKeys() {
        assertThatThrownBy(() -> fwCfg.addFile("opt/" + "x".repeat(60), new byte[0])).hasMessageContaining("55 bytes");
        fwCfg.addFile("opt/a", new byte[0]);
        assertThatThrownBy(() -> fwCfg.addFile("opt/a", new byte[0])).hasMessageContaining("twice");
        assertThatThrownBy(() -> fwCfg.addItem(FwCfg.FILE_DIR, new byte[0])).hasMessageContaining("reserved");
    }
}
