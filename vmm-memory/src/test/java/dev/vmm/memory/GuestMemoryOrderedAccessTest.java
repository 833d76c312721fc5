package dev.vmm.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The acquire/release accessors virtqueue ring indices go through. */
class GuestMemoryOrderedAccessTest {
    private final GuestMemory memory = new GuestMemoryBuilder().add("ram", 0, 0x2000, RegionKind.RAM)
            .add("rom", 0x10000, 0x1000, RegionKind.ROM).build();

    @AfterEach
    void close() {
        memory.close();
    }

    @Test
    void releasedValuesAreAcquiredBackLittleEndian() {
        memory.storeReleaseShort(GuestAddress.of(0x1002), (short) 0xbeef);
        assertThat(memory.loadAcquireShort(GuestAddress.of(0x1002))).isEqualTo((short) 0xbeef);
        assertThat(memory.readByte(GuestAddress.of(0x1002))).isEqualTo((byte) 0xef);
        memory.storeReleaseInt(GuestAddress.of(0x1ffc), 0x11223344);
        assertThat(memory.loadAcquireInt(GuestAddress.of(0x1ffc))).isEqualTo(0x11223344);
        assertThat(memory.readShort(GuestAddress.of(0x1ffe))).isEqualTo((short) 0x1122);
        memory.writeShort(GuestAddress.of(0x1004), (short) 7);
        assertThat(memory.loadAcquireShort(GuestAddress.of(0x1004))).as("plain writes are seen too").isEqualTo((short) 7);
        GuestMemory.fullFence();
    }

    @Test
    void aMisalignedIndexIsAnErrorNamingTheAddress() {
        assertThatThrownBy(() -> memory.loadAcquireShort(GuestAddress.of(0x1001))).isInstanceOf(GuestMemoryException.class)
                .hasMessage("misaligned 2-byte ring access (must be 2-byte aligned): gpa 0x1001 length 2");
        assertThatThrownBy(() -> memory.storeReleaseShort(GuestAddress.of(0x1fff), (short) 1)).isInstanceOf(GuestMemoryException.class)
                .hasMessageContaining("gpa 0x1fff length 2");
        assertThatThrownBy(() -> memory.loadAcquireInt(GuestAddress.of(0x1002)))
                .hasMessage("misaligned 4-byte ring access (must be 4-byte aligned): gpa 0x1002 length 4");
        assertThatThrownBy(() -> memory.storeReleaseInt(GuestAddress.of(0x1006), 1)).isInstanceOf(GuestMemoryException.class);
        assertThat(memory.readShort(GuestAddress.of(0x1fff - 1))).as("nothing was written").isZero();
    }

    @Test
    void outOfRangeAndReadOnlyAreRefusedLikeOtherAccesses() {
        assertThatThrownBy(() -> memory.loadAcquireShort(GuestAddress.of(0x2000)))
                .isInstanceOfSatisfying(GuestMemoryException.class, e -> {
                    assertThat(e.gpa()).isEqualTo(0x2000);
                    assertThat(e.length()).isEqualTo(2);
                })
                .hasMessage("access outside guest memory: gpa 0x2000 length 2");
        assertThatThrownBy(() -> memory.loadAcquireInt(GuestAddress.of(0xfffffffffffffffcL)))
                .hasMessage("access outside guest memory: gpa 0xfffffffffffffffc length 4");
        assertThat(memory.loadAcquireShort(GuestAddress.of(0x10000))).as("a ROM reads").isZero();
        assertThatThrownBy(() -> memory.storeReleaseShort(GuestAddress.of(0x10000), (short) 1))
                .hasMessage("write to read-only region rom: gpa 0x10000 length 2");
        assertThatThrownBy(() -> memory.storeReleaseInt(GuestAddress.of(0x10ffc), 1)).hasMessageContaining("read-only region rom");
    }
}
