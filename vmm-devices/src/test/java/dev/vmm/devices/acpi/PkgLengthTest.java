package dev.vmm.devices.acpi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class PkgLengthTest {
    /** Decodes a PkgLength as an AML interpreter does (ACPI 6.0 §20.2.4). */
    static int decode(byte[] b) {
        int lead = b[0] & 0xff;
        int following = lead >>> 6;
        if (following == 0) {
            return lead & 0x3f;
        }
        int value = lead & 0x0f;
        for (int i = 1; i <= following; i++) {
            value |= (b[i] & 0xff) << (4 + 8 * (i - 1));
        }
        return value;
    }

    @Test
    void boundariesOfEachForm() {
        assertThat(PkgLength.encode(0)).containsExactly(0x00);
        assertThat(PkgLength.encode(63)).containsExactly(0x3f);
        assertThat(PkgLength.encode(64)).containsExactly(0x40, 0x04);
        assertThat(PkgLength.encode(4095)).containsExactly(0x4f, 0xff);
        assertThat(PkgLength.encode(4096)).containsExactly(0x80, 0x00, 0x01);
        assertThat(PkgLength.encode(0xfffff)).containsExactly(0x8f, 0xff, 0xff);
        assertThat(PkgLength.encode(0x100000)).containsExactly(0xc0, 0x00, 0x00, 0x01);
        assertThat(PkgLength.encode(PkgLength.MAX)).containsExactly(0xcf, 0xff, 0xff, 0xff);
        assertThatThrownBy(() -> PkgLength.encode(PkgLength.MAX + 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void wrappedLengthCountsItsOwnBytes() {
        assertThat(PkgLength.wrap(new byte[62])).startsWith(0x3f).hasSize(63);
        // 63 bytes + 1 would be 64, which no longer fits one byte; 63 + 2 = 65.
        assertThat(PkgLength.wrap(new byte[63])).startsWith(0x41, 0x04).hasSize(65);
        assertThat(PkgLength.wrap(new byte[4093])).startsWith(0x4f, 0xff).hasSize(4095);
        assertThat(PkgLength.wrap(new byte[4094])).startsWith(0x81, 0x00, 0x01).hasSize(4097);
    }

    @Property
    void encodingIsTheSmallestThatRoundTrips(@ForAll @IntRange(min = 0, max = PkgLength.MAX) int value) {
        byte[] encoded = PkgLength.encode(value);
        assertThat(decode(encoded)).isEqualTo(value);
        int expected = value < 64 ? 1 : value < 1 << 12 ? 2 : value < 1 << 20 ? 3 : 4;
        assertThat(encoded).hasSize(expected);
        if (encoded.length > 1) {
            assertThat(encoded[0] & 0x30).as("bits 4-5 of a multi-byte lead are reserved").isZero();
        }
    }

    @Property
    void wrapPrefixesTheTotalLength(@ForAll @IntRange(min = 0, max = 70_000) int contentLength) {
        byte[] wrapped = PkgLength.wrap(new byte[contentLength]);
        assertThat(decode(wrapped)).isEqualTo(wrapped.length);
        assertThat(wrapped.length - contentLength).isEqualTo(PkgLength.byteCount(wrapped.length));
    }
}
