package dev.vmm.devices.fwcfg;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class E820TableTest {
    @Test
    void entriesAre20BytesLittleEndian() {
        byte[] b = new E820Table().add(0, 0x20000000L, E820Table.RAM).add(0xfeffc000L, 0x4000, E820Table.RESERVED).bytes();
        assertThat(b).hasSize(40);
        ByteBuffer buf = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(buf.getLong(0)).isZero();
        assertThat(buf.getLong(8)).isEqualTo(0x20000000L);
        assertThat(buf.getInt(16)).isEqualTo(1);
        assertThat(buf.getLong(20)).isEqualTo(0xfeffc000L);
        assertThat(buf.getInt(36)).isEqualTo(2);
        assertThatThrownBy(() -> new E820Table().add(0, 0, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
