package dev.vmm.firmware.ovmf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class GuidTest {
    @Test
    void theFooterGuidIsStoredWithItsFirstThreeFieldsLittleEndian() {
        Guid footer = Guid.parse("96b582de-1fb2-45f7-baea-a366c55a082d");
        // As in the last 48 bytes of Debian's OVMF.fd and Python's uuid.UUID(...).bytes_le.
        byte[] stored = HexFormat.of().parseHex("de82b596b21ff745baeaa366c55a082d");
        assertThat(footer.bytesLe()).isEqualTo(stored);
        assertThat(Guid.fromBytesLe(stored, 0)).isEqualTo(footer);
        assertThat(footer).hasToString("96b582de-1fb2-45f7-baea-a366c55a082d");
    }

    @Test
    void readsAtAnOffsetAndPrintsLowerCase() {
        byte[] b = new byte[20];
        System.arraycopy(Guid.parse("DC886566-984A-4798-A75E-5585A7BF67CC").bytesLe(), 0, b, 3, 16);
        assertThat(Guid.fromBytesLe(b, 3)).hasToString("dc886566-984a-4798-a75e-5585a7bf67cc");
    }

    @Test
    void rejectsNonCanonicalText() {
        assertThatThrownBy(() -> Guid.parse("1-2-3-4-5")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1-2-3-4-5");
    }
}
