package dev.vmm.devices.bus;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The bus's binary search finds what a scan of every placed range finds, wherever the ranges are. */
class BusLookupProperties {
    private static final BusDevice NONE = new BusDevice() {
        @Override
        public void read(long offset, MemorySegment data) {}

        @Override
        public void write(long offset, MemorySegment data) {}
    };

    @Property(tries = 300)
    void findAgreesWithAScan(@ForAll("placements") List<long[]> placements, @ForAll("probes") List<Long> probes,
            @ForAll("removals") List<Integer> removals) {
        Bus bus = new Bus("mmio");
        List<Bus.Range> placed = new ArrayList<>();
        for (long[] p : placements) {
            try {
                bus.insert(p[0], p[1], "d" + placed.size(), NONE);
                placed.add(bus.find(p[0]));
            } catch (BusException overlapOrOverflow) {
                // refused placements are BusTest's subject; here they only shape the bus
            }
        }
        for (int i : removals) {
            if (!placed.isEmpty()) {
                Bus.Range r = placed.remove(Math.floorMod(i, placed.size()));
                assertThat(bus.remove(r.base())).isSameAs(r.device());
            }
        }
        List<Long> addresses = new ArrayList<>(probes);
        for (Bus.Range r : placed) {      // every edge: first, last, and either side
            addresses.addAll(List.of(r.base(), r.base() - 1, r.base() + r.length() - 1, r.base() + r.length()));
        }
        for (long a : addresses) {
            Bus.Range expected = placed.stream().filter(r -> r.contains(a)).findFirst().orElse(null);
            assertThat(bus.find(a)).as("address 0x%x", a).isSameAs(expected);
        }
        assertThat(bus.ranges()).hasSize(placed.size())
                .isSortedAccordingTo((x, y) -> Long.compareUnsigned(x.base(), y.base()));
    }

    @Provide
    Arbitrary<List<long[]>> placements() {
        // Small addresses collide often; the top of the 64-bit space checks unsigned order.
        Arbitrary<Long> base = Arbitraries.oneOf(Arbitraries.longs().between(0, 0x400),
                Arbitraries.longs().between(-0x400, -1), Arbitraries.longs());
        Arbitrary<Long> length = Arbitraries.longs().between(1, 0x80);
        return net.jqwik.api.Combinators.combine(base, length).as((b, l) -> new long[] {b, l}).list().ofMaxSize(24);
    }

    @Provide
    Arbitrary<List<Long>> probes() {
        return Arbitraries.oneOf(Arbitraries.longs().between(0, 0x480), Arbitraries.longs().between(-0x480, -1),
                Arbitraries.longs()).list().ofMaxSize(32);
    }

    @Provide
    Arbitrary<List<Integer>> removals() {
        return Arbitraries.integers().list().ofMaxSize(6);
    }
}
