package dev.vmm.app.devicemanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AddressAllocatorTest {
    private final AddressAllocator mmio = new AddressAllocator("mmio32", 0x8000_0000L, 0x8001_0000L);

    @Test
    void firstFitFromTheBottomWithAlignment() {
        assertThat(mmio.allocate(0x100, 0x100, "a")).isEqualTo(0x8000_0000L);
        assertThat(mmio.allocate(0x1000, 0x1000, "b")).as("aligned past a").isEqualTo(0x8000_1000L);
        assertThat(mmio.allocate(0x100, 0x100, "c")).as("the gap below b").isEqualTo(0x8000_0100L);
        assertThat(mmio.allocate(0x4000, 0x4000, "d")).isEqualTo(0x8000_4000L);
        mmio.release(0x8000_1000L);
        assertThat(mmio.allocate(0x2000, 0x2000, "e")).as("b's range is free again").isEqualTo(0x8000_2000L);
        assertThat(mmio.ranges()).extracting(AddressAllocator.Range::owner).containsExactly("a", "c", "e", "d");
    }

    @Test
    void exhaustionNamesTheWindowAndTheOwner() {
        mmio.allocate(0x8000, 0x8000, "big");
        assertThat(mmio.allocate(0x8000, 0x8000, "second")).isEqualTo(0x8000_8000L);
        assertThatThrownBy(() -> mmio.allocate(0x10, 0x10, "virtio-net BAR4")).isInstanceOf(AllocationException.class)
                .hasMessage("mmio32: no 0x10 bytes aligned to 0x10 left in [0x80000000-0x8000ffff] for virtio-net BAR4"
                        + " (2 ranges taken)");
        assertThatThrownBy(() -> new AddressAllocator("pio", 0xc000, 0x10000).allocate(0x8000, 0x8000, "x"))
                .as("aligned, it starts past the window").hasMessageContaining("no 0x8000 bytes aligned to 0x8000");
    }

    @Test
    void reservationsAreCheckedForOverlapAndTheWindow() {
        mmio.reserve(0x8000_1000L, 0x800, "flash");
        assertThatThrownBy(() -> mmio.reserve(0x8000_17ffL, 1, "x"))
                .hasMessage("mmio32: x [0x800017ff-0x800017ff] overlaps flash [0x80001000-0x800017ff]");
        assertThatThrownBy(() -> mmio.reserve(0x8000_0800L, 0x1000, "y")).hasMessageContaining("overlaps flash");
        assertThatThrownBy(() -> mmio.reserve(0x8000_fff0L, 0x20, "z")).hasMessageContaining("outside the window");
        assertThatThrownBy(() -> mmio.reserve(0x7fff_fff0L, 0x20, "w")).hasMessageContaining("outside the window");
        mmio.reserve(0x8000_1800L, 0x800, "adjacent");
        assertThat(mmio.allocate(0x1000, 0x1000, "bar")).as("around the reservations").isEqualTo(0x8000_0000L);
        assertThat(mmio.allocate(0x1000, 0x1000, "bar2")).isEqualTo(0x8000_2000L);
    }

    @Test
    void badRequestsAreRefused() {
        assertThatThrownBy(() -> mmio.allocate(0, 0x10, "a")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> mmio.allocate(0x10, 0x18, "a")).hasMessage("mmio32: a asks 0x10 bytes aligned to 0x18");
        assertThatThrownBy(() -> mmio.release(0x8000_0000L)).hasMessage("mmio32: nothing was allocated at 0x80000000");
        assertThatThrownBy(() -> new AddressAllocator("x", 0x10, 0x10)).isInstanceOf(IllegalArgumentException.class);
        AddressAllocator top = new AddressAllocator("top", Long.MAX_VALUE - 0xfff, Long.MAX_VALUE);
        assertThatThrownBy(() -> top.allocate(0x10, 1L << 62, "huge alignment")).isInstanceOf(AllocationException.class);
        assertThat(top.allocate(0x10, 0x10, "fits")).isEqualTo(Long.MAX_VALUE - 0xfff);
    }
}
