package dev.vmm.sev.launch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmm.memory.MemoryAttributes;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SnpPageStatesTest {
    private final List<String> kvm = new ArrayList<>();
    private final MemoryAttributes attributes = new MemoryAttributes((gpa, size, p) -> {
        if (gpa >= 1L << 40) {
            throw new IllegalStateException("KVM_SET_MEMORY_ATTRIBUTES: EINVAL");
        }
        kvm.add(String.format("0x%x+0x%x %s", gpa, size, p ? "private" : "shared"));
    });
    private final SnpPageStates pages = new SnpPageStates(attributes);

    @Test
    void mapGpaRangeConvertsPagesAsTheGuestAsked() {
        // args: gpa, number of 4 KiB pages, attributes (bit 4 = encrypted, bits 1:0 = page-size hint)
        assertThat(pages.mapGpaRange(new long[] {0x200000, 512, 0x10 | 1, 0, 0, 0})).isZero();
        assertThat(pages.mapGpaRange(new long[] {0x201000, 1, 0, 0, 0, 0})).isZero();
        assertThat(kvm).containsExactly("0x200000+0x200000 private", "0x201000+0x1000 shared");
        assertThat(attributes.isPrivate(0x200000)).isTrue();
        assertThat(attributes.isPrivate(0x201000)).isFalse();
    }

    @Test
    void badRequestsFailWithoutConverting() {
        assertThat(pages.mapGpaRange(new long[] {0x200800, 1, 0x10, 0, 0, 0})).isEqualTo(SnpPageStates.EINVAL);
        assertThat(pages.mapGpaRange(new long[] {0x200000, 0, 0x10, 0, 0, 0})).isEqualTo(SnpPageStates.EINVAL);
        assertThat(pages.mapGpaRange(new long[] {1L << 40, 1, 0x10, 0, 0, 0})).isEqualTo(SnpPageStates.EINVAL);
        assertThat(kvm).isEmpty();
    }

    @Test
    void aMemoryFaultMakesTheRangeWhatTheGuestAccessed() {
        assertThat(pages.memoryFault(0x3010, 0x10, true)).isTrue();
        assertThat(kvm).containsExactly("0x3000+0x1000 private");
        assertThat(pages.memoryFault(1L << 40, 0x1000, true)).isFalse();
    }
}
