package dev.vmm.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Translation and bounds of {@link GuestMemory} over a fixed layout with adjacent regions, a hole, a
 * ROM at the top of 4 GiB and RAM above it: an access is served exactly when it lies inside one region.
 */
class GuestMemoryPropertiesTest {
    private static final long LOW = 0x20000;        // [0, 0x20000) RAM
    private static final long MID = 0x20000;        // [0x20000, 0x30000) RAM, adjacent to LOW
    private static final long ROM = 0xffff0000L;    // [0xffff0000, 2^32) ROM
    private static final long HIGH = 1L << 32;      // [2^32, 2^32 + 0x10000) RAM
    private static GuestMemory memory;

    @BeforeContainer
    static void map() {
        memory = new GuestMemoryBuilder()
                .add("low", 0, LOW, RegionKind.RAM)
                .add("mid", MID, 0x10000, RegionKind.RAM)
                .add("rom", ROM, 0x10000, RegionKind.ROM)
                .add("high", HIGH, 0x10000, RegionKind.RAM)
                .build();
    }

    @AfterContainer
    static void unmap() {
        memory.close();
    }

    /** Addresses near every region edge (where bugs live) and anywhere in the 64-bit space. */
    @Provide
    Arbitrary<Long> addresses() {
        Arbitrary<Long> edges = Arbitraries.of(0L, LOW, MID + 0x10000, ROM, HIGH, HIGH + 0x10000, -1L)
                .flatMap(e -> Arbitraries.longs().between(-64, 64).map(d -> e + d));
        return Arbitraries.oneOf(edges, Arbitraries.longs());
    }

    @Provide
    Arbitrary<Long> lengths() {
        return Arbitraries.oneOf(Arbitraries.longs().between(0, 16), Arbitraries.longs().between(0, 0x30000),
                Arbitraries.longs());
    }

    private static MemoryRegion expectedRegion(long gpa, long length) {
        for (MemoryRegion r : memory.regions()) {
            long start = r.start().value();
            if (Long.compareUnsigned(gpa, start) >= 0 && Long.compareUnsigned(gpa - start, r.size()) < 0) {
                long room = r.size() - (gpa - start);
                return length >= 0 && length <= room ? r : null;
            }
        }
        return null;
    }

    @Property(tries = 2000)
    void findRegionReturnsTheRegionHoldingTheAddress(@ForAll("addresses") long gpa) {
        MemoryRegion r = memory.findRegion(GuestAddress.of(gpa));
        MemoryRegion expected = expectedRegion(gpa, 0);
        assertThat(r).isSameAs(expected);
    }

    @Property(tries = 3000)
    void anAccessIsServedExactlyWhenItFitsInOneRegion(@ForAll("addresses") long gpa, @ForAll("lengths") long length) {
        MemoryRegion expected = expectedRegion(gpa, length);
        if (expected != null && length > 0 && length <= Integer.MAX_VALUE) {
            assertThat(memory.isValid(GuestAddress.of(gpa), length)).isTrue();
            assertThat(memory.slice(GuestAddress.of(gpa), length).byteSize()).isEqualTo(length);
        } else if (length > 0) {
            assertThat(memory.isValid(GuestAddress.of(gpa), length)).isFalse();
            assertThatThrownBy(() -> memory.slice(GuestAddress.of(gpa), length))
                    .isInstanceOf(GuestMemoryException.class)
                    .hasMessageContaining("0x" + Long.toHexString(gpa))
                    .hasMessageContaining("length " + length);
        }
    }

    @Property(tries = 500)
    void writesReadBackAndStayInTheirRegion(@ForAll("ramOffsets") long gpa, @ForAll long value) {
        long before = memory.readLong(GuestAddress.of(HIGH));
        memory.writeLong(GuestAddress.of(gpa), value);
        assertThat(memory.readLong(GuestAddress.of(gpa))).isEqualTo(value);
        byte[] bytes = memory.read(GuestAddress.of(gpa), 8);
        assertThat(bytes[0]).isEqualTo((byte) value);     // little-endian, as x86
        if (gpa + 8 <= MID + 0x10000) {
            assertThat(memory.readLong(GuestAddress.of(HIGH))).isEqualTo(before);
        }
    }

    @Provide
    Arbitrary<Long> ramOffsets() {
        return Combinators.combine(Arbitraries.of(0L, MID, HIGH), Arbitraries.longs().between(0, 0x10000 - 8))
                .as(Long::sum);
    }

    @Property(tries = 200)
    void theGuestSideCannotWriteRom(@ForAll("romAddresses") long gpa) {
        assertThatThrownBy(() -> memory.writeByte(GuestAddress.of(gpa), (byte) 1))
                .isInstanceOf(GuestMemoryException.class).hasMessageContaining("read-only region rom");
        assertThat(memory.readByte(GuestAddress.of(gpa))).isZero();
    }

    @Provide
    Arbitrary<Long> romAddresses() {
        return Arbitraries.longs().between(ROM, HIGH - 1);
    }
}
