package dev.vmm.devices.acpi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AmlTest {
    @Test
    void integersUseTheSmallestEncoding() {
        assertThat(Aml.integer(0)).containsExactly(0x00);
        assertThat(Aml.integer(1)).containsExactly(0x01);
        assertThat(Aml.integer(2)).containsExactly(0x0a, 0x02);
        assertThat(Aml.integer(0xff)).containsExactly(0x0a, 0xff);
        assertThat(Aml.integer(0x100)).containsExactly(0x0b, 0x00, 0x01);
        assertThat(Aml.integer(0xffff)).containsExactly(0x0b, 0xff, 0xff);
        assertThat(Aml.integer(0x10000)).containsExactly(0x0c, 0x00, 0x00, 0x01, 0x00);
        assertThat(Aml.integer(0xffff_ffffL)).containsExactly(0x0c, 0xff, 0xff, 0xff, 0xff);
        assertThat(Aml.integer(0x1_0000_0000L)).containsExactly(0x0e, 0, 0, 0, 0, 1, 0, 0, 0);
        assertThat(Aml.integer(-1)).containsExactly(0x0e, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff);
        assertThat(Aml.ones()).containsExactly(0xff);
    }

    @Test
    void eisaIdCompressesThePnpId() {
        assertThat(Aml.eisaIdValue("PNP0A03")).isEqualTo(0x030AD041L);
        assertThat(Aml.eisaId("PNP0A03")).containsExactly(0x0c, 0x41, 0xd0, 0x0a, 0x03);
        assertThat(Aml.eisaIdValue("PNP0501")).isEqualTo(0x0105D041L);
        assertThatThrownBy(() -> Aml.eisaId("pnp0a03")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Aml.eisaId("PNP0A0")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nameSegmentsArePaddedWithUnderscores() {
        assertThat(AmlName.segment("_S5")).containsExactly('_', 'S', '5', '_');
        assertThat(AmlName.segment("ISA")).containsExactly('I', 'S', 'A', '_');
        assertThat(AmlName.segment("A")).containsExactly('A', '_', '_', '_');
        assertThat(AmlName.segment("PCI0")).containsExactly('P', 'C', 'I', '0');
        assertThatThrownBy(() -> AmlName.segment("PCI00")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AmlName.segment("0PCI")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AmlName.segment("pci0")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void namePathsTakeRootParentDualAndMultiPrefixes() {
        assertThat(AmlName.path("\\_SB")).containsExactly('\\', '_', 'S', 'B', '_');
        assertThat(AmlName.path("\\_SB.PCI0")).containsExactly('\\', 0x2e, '_', 'S', 'B', '_', 'P', 'C', 'I', '0');
        assertThat(AmlName.path("\\_SB.PCI0.ISA")).containsExactly(
                '\\', 0x2f, 3, '_', 'S', 'B', '_', 'P', 'C', 'I', '0', 'I', 'S', 'A', '_');
        assertThat(AmlName.path("^^COM1")).containsExactly('^', '^', 'C', 'O', 'M', '1');
        assertThat(AmlName.path("\\")).containsExactly('\\', 0x00);
        assertThatThrownBy(() -> AmlName.path("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AmlName.path("\\_SB..PCI0")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void stringsAreNulTerminatedAscii() {
        assertThat(Aml.string("OK")).containsExactly(0x0d, 'O', 'K', 0);
        assertThatThrownBy(() -> Aml.string("é")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void namedObjectsAndPackages() {
        assertThat(Aml.name("_UID", Aml.integer(1))).containsExactly(0x08, '_', 'U', 'I', 'D', 0x01);
        // Package(4){0, 0, 0, 0}: PkgLength 6 covers itself, the count and four ZeroOps.
        assertThat(Aml.pkg(Aml.integer(0), Aml.integer(0), Aml.integer(0), Aml.integer(0)))
                .containsExactly(0x12, 0x06, 0x04, 0, 0, 0, 0);
        assertThat(Aml.buffer(new byte[] {0x79, 0})).containsExactly(0x11, 0x05, 0x0a, 0x02, 0x79, 0x00);
    }

    @Test
    void methodsDevicesAndScopes() {
        // Method(_STA, 0, NotSerialized) { Return (0x0F) }, as iasl encodes it.
        assertThat(Aml.method("_STA", 0, Aml.returnValue(Aml.integer(0x0f))))
                .containsExactly(0x14, 0x09, '_', 'S', 'T', 'A', 0x00, 0xa4, 0x0a, 0x0f);
        assertThat(Aml.device("ISA", Aml.name("_ADR", Aml.integer(0))))
                .containsExactly(0x5b, 0x82, 0x0b, 'I', 'S', 'A', '_', 0x08, '_', 'A', 'D', 'R', 0x00);
        assertThat(Aml.scope("\\_SB")).containsExactly(0x10, 0x06, '\\', '_', 'S', 'B', '_');
        assertThatThrownBy(() -> Aml.method("_STA", 8)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void longBodiesGetMultiBytePackageLengths() {
        byte[] big = Aml.scope("\\_SB", Aml.buffer(new byte[5000]));
        assertThat(PkgLengthTest.decode(new byte[] {big[1], big[2], big[3]})).isEqualTo(big.length - 1);
        assertThat(big[1] >>> 6 & 3).isEqualTo(2);
    }
}
