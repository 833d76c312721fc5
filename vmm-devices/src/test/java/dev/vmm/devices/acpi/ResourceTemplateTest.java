package dev.vmm.devices.acpi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Descriptor bytes compared with what iasl 20200925 emits for the same ASL. */
class ResourceTemplateTest {
    /** The descriptors inside the Buffer: skips BufferOp, its 1-byte PkgLength and the size term. */
    private static byte[] descriptors(ResourceTemplate t) {
        byte[] aml = t.toAml();
        int sizeTerm = aml[2] == 0x0a ? 2 : 3;
        return Arrays.copyOfRange(aml, 2 + sizeTerm, aml.length);
    }

    @Test
    void wordBusNumberAndIo() {
        // WordBusNumber (ResourceProducer, MinFixed, MaxFixed, PosDecode, 0, 0, 0xFF, 0, 0x100)
        // IO (Decode16, 0x0CF8, 0x0CF8, 0x01, 0x08)
        assertThat(descriptors(new ResourceTemplate().wordBusNumber(0, 0xff).io(0xcf8, 8))).containsExactly(
                0x88, 0x0d, 0x00, 0x02, 0x0c, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0x00, 0x00, 0x00, 0x00, 0x01,
                0x47, 0x01, 0xf8, 0x0c, 0xf8, 0x0c, 0x01, 0x08,
                0x79, 0x00);
    }

    @Test
    void wordIoWindow() {
        // WordIO (ResourceProducer, MinFixed, MaxFixed, PosDecode, EntireRange, 0, 0xD00, 0xFFFF, 0, 0xF300)
        assertThat(descriptors(new ResourceTemplate().wordIo(0x0d00, 0xffff))).containsExactly(
                0x88, 0x0d, 0x00, 0x01, 0x0c, 0x03, 0x00, 0x00, 0x00, 0x0d, 0xff, 0xff, 0x00, 0x00, 0x00, 0xf3,
                0x79, 0x00);
    }

    @Test
    void dWordAndQWordMemory() {
        byte[] d = descriptors(new ResourceTemplate().dWordMemory(0x8000_0000L, 0xfbff_ffffL));
        assertThat(d).hasSize(26 + 2);
        assertThat(Arrays.copyOfRange(d, 0, 6)).containsExactly(0x87, 0x17, 0x00, 0x00, 0x0c, 0x01);
        assertThat(Arrays.copyOfRange(d, 10, 14)).containsExactly(0x00, 0x00, 0x00, 0x80);
        assertThat(Arrays.copyOfRange(d, 22, 26)).containsExactly(0x00, 0x00, 0x00, 0x7c);
        byte[] q = descriptors(new ResourceTemplate().qWordMemory(0x8_0000_0000L, 0xf_ffff_ffffL));
        assertThat(q).hasSize(46 + 2);
        assertThat(Arrays.copyOfRange(q, 0, 3)).containsExactly(0x8a, 0x2b, 0x00);
        assertThat(Arrays.copyOfRange(q, 38, 46)).containsExactly(0, 0, 0, 0, 8, 0, 0, 0);
    }

    @Test
    void irqNoFlagsIsAMask() {
        assertThat(descriptors(new ResourceTemplate().irqNoFlags(4))).containsExactly(0x22, 0x10, 0x00, 0x79, 0x00);
    }

    @Test
    void windowsMustFitTheirDescriptor() {
        assertThatThrownBy(() -> new ResourceTemplate().wordIo(0, 0x10000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ResourceTemplate().dWordMemory(0xf000_0000L, 0x1_0000_0000L))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ResourceTemplate().wordBusNumber(5, 4)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ResourceTemplate().irqNoFlags(16)).isInstanceOf(IllegalArgumentException.class);
    }
}
