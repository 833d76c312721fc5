package dev.vmm.firmware.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

class GuestBlobTest {
    private static final byte[] FILE = {10, 11, 12, 13, 14, 15, 16, 17};

    /** An ELF segment is a range of the kernel file's bytes, not a copy of them. */
    @Test
    void aRangeOfTheFileIsItsBytes() {
        GuestBlob b = new GuestBlob("kernel segment", 0x100000, KernelBytes.of("vmlinux", FILE), 2, 4, 4096);
        assertThat(((KernelBytes.InMemory) b.source()).bytes()).isSameAs(FILE);
        assertThat(b.bytes()).containsExactly(12, 13, 14, 15);
        assertThat(b.end()).isEqualTo(0x100000 + 4096);
        try (Arena a = Arena.ofConfined()) {
            MemorySegment target = a.allocate(6);
            b.copyTo(target);
            assertThat(target.toArray(ValueLayout.JAVA_BYTE)).containsExactly(12, 13, 14, 15, 0, 0);
        }
    }

    @Test
    void aRangeOutsideTheArrayOrBeyondTheSizeIsRefused() {
        assertThatThrownBy(() -> new GuestBlob("kernel segment", 0, KernelBytes.of("v", FILE), 6, 4, 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside its 8");
        assertThatThrownBy(() -> new GuestBlob("kernel segment", 0, KernelBytes.of("v", FILE), -1, 2, 2))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new GuestBlob("kernel segment", 0, KernelBytes.of("v", FILE), 0, 4, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("size 3 below its 4 bytes");
    }

    @Test
    void aWholeArrayIsItsOwnBytes() {
        assertThat(new GuestBlob("GDT", 0x500, FILE).bytes()).isSameAs(FILE);
    }
}
