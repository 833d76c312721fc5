package dev.vmm.firmware.ovmf;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

class GuidPropertiesTest {
    @Property(tries = 300)
    void roundTripsThroughBytesAndText(@ForAll long msb, @ForAll long lsb) {
        Guid g = new Guid(msb, lsb);
        assertThat(Guid.fromBytesLe(g.bytesLe(), 0)).isEqualTo(g);
        assertThat(Guid.parse(g.toString())).isEqualTo(g);
    }
}
