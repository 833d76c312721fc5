package dev.vmm.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GuestMemoryTest {
    @Test
    void adjacentRegionsDoNotMakeACrossingAccessLegal() {
        try (GuestMemory m = new GuestMemoryBuilder().add("a", 0, 0x1000, RegionKind.RAM)
                .add("b", 0x1000, 0x1000, RegionKind.RAM).build()) {
            assertThatThrownBy(() -> m.readInt(GuestAddress.of(0xffe)))
                    .isInstanceOf(GuestMemoryException.class)
                    .hasMessage("access crosses the end of region a: gpa 0xffe length 4");
            m.writeInt(GuestAddress.of(0xffc), 0x11223344);
            assertThat(m.readInt(GuestAddress.of(0xffc))).isEqualTo(0x11223344);
        }
    }

    @Test
    void romIsLoadedByTheVmmOnly() {
        try (GuestMemory m = new GuestMemoryBuilder().add("rom", 0xfffff000L, 0x1000, RegionKind.ROM).build()) {
            m.findRegion(GuestAddress.of(0xfffff000L)).load(0xff0, new byte[] {(byte) 0xea, 0x5b});
            assertThat(m.readByte(GuestAddress.of(0xfffffff0L))).isEqualTo((byte) 0xea);
            assertThatThrownBy(() -> m.findRegion(GuestAddress.of(0xfffff000L)).load(0xff8, new byte[16]))
                    .isInstanceOf(GuestMemoryException.class).hasMessageContaining("does not fit");
        }
    }

    @Test
    void accessAfterCloseIsAnErrorNotAHostFault() {
        GuestMemory m = new GuestMemoryBuilder().add("ram", 0, 0x1000, RegionKind.RAM).build();
        var view = m.slice(GuestAddress.of(0), 16);
        m.close();
        assertThatThrownBy(() -> view.get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void builderRejectsOverlapsAndMisalignment() {
        GuestMemoryBuilder b = new GuestMemoryBuilder().add("a", 0, 0x2000, RegionKind.RAM);
        assertThatThrownBy(() -> b.add("b", 0x1000, 0x1000, RegionKind.RAM)).hasMessageContaining("overlaps region a");
        assertThatThrownBy(() -> b.add("c", 0x3001, 0x1000, RegionKind.RAM)).hasMessageContaining("multiples of 0x1000");
        assertThatThrownBy(() -> b.add("d", 0xfffffffffffff000L, 0x2000, RegionKind.RAM)).hasMessageContaining("overflows");
        assertThatThrownBy(() -> new GuestMemoryBuilder().hugetlb(true).add("e", 0, 0x1000, RegionKind.RAM))
                .hasMessageContaining("multiples of 0x200000");
    }

    @Test
    void ramIsSplitAroundTheHoleBelow4GiB() {
        assertThat(RamLayout.forSize(512L << 20)).isEqualTo(new RamLayout(512L << 20, 0));
        assertThat(RamLayout.forSize(3L << 30)).isEqualTo(new RamLayout(2L << 30, 1L << 30));
        assertThatThrownBy(() -> RamLayout.forSize(4095)).isInstanceOf(IllegalArgumentException.class);
        try (GuestMemory m = RamLayout.forSize(3L << 30).addTo(new GuestMemoryBuilder()).build()) {
            assertThat(m.findRegion(GuestAddress.of(RamLayout.HIGH_RAM_START)).name()).isEqualTo("ram-high");
            assertThat(m.findRegion(GuestAddress.of(RamLayout.LOW_RAM_LIMIT))).isNull();
            assertThat(m.size()).isEqualTo(3L << 30);
        }
    }

    @Test
    void guestAddressArithmeticIsCheckedAndUnsigned() {
        assertThat(GuestAddress.of(0x1000).plus(0x10)).isEqualTo(GuestAddress.of(0x1010));
        assertThatThrownBy(() -> GuestAddress.of(-16).plus(32)).isInstanceOf(ArithmeticException.class);
        assertThat(GuestAddress.of(-1).compareTo(GuestAddress.of(1))).isPositive();
        assertThat(GuestAddress.of(0x200000).isAligned(0x200000)).isTrue();
    }
}
