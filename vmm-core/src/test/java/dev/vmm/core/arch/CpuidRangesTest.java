package dev.vmm.core.arch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmm.core.kvm.CpuidEntry;
import java.util.List;
import org.junit.jupiter.api.Test;

class CpuidRangesTest {
    private static CpuidEntry leaf(int function, int eax) {
        return new CpuidEntry(function, 0, 0, eax, 1, 2, 3);
    }

    private static final List<CpuidEntry> HOST = List.of(leaf(0, 0x20), leaf(1, 0x806f8), leaf(0xd, 0x2e7),
            leaf(0x14, 1), leaf(0x20, 1), leaf(0x40000000, 0x40000001), leaf(0x40000001, 0x7efb),
            leaf(0x80000000, 0x80000028), leaf(0x8000001e, 5), leaf(0x8000001f, 0x1), leaf(0x80000022, 1),
            leaf(0x80000028, 1), leaf(0xc0000000, 0xc0000001));

    @Test
    void aModelEndsBothRangesAndSaysSoInLeaf0And0x80000000() {
        List<CpuidEntry> c = CpuidRanges.limit(HOST, 0xd, 0x8000001f);
        assertThat(c).extracting(CpuidEntry::function).containsExactly(0, 1, 0xd, 0x40000000, 0x40000001,
                0x80000000, 0x8000001e, 0x8000001f);
        assertThat(CpuidRanges.max(c, CpuidRanges.BASIC)).isEqualTo(0xd);
        assertThat(CpuidRanges.max(c, CpuidRanges.EXTENDED)).isEqualTo(0x8000001f);
        // The other registers of leaf 0 (the vendor) stay.
        assertThat(c.getFirst().ebx()).isEqualTo(1);
    }

    @Test
    void aModelAboveTheHostKeepsTheHostsMaximum() {
        List<CpuidEntry> c = CpuidRanges.limit(List.of(leaf(0, 0x7), leaf(7, 1), leaf(0x80000000, 0x80000008),
                leaf(0x80000008, 1)), 0xd, 0x80000022);
        assertThat(CpuidRanges.max(c, CpuidRanges.BASIC)).isEqualTo(7);
        assertThat(CpuidRanges.max(c, CpuidRanges.EXTENDED)).isEqualTo(0x80000008);
        assertThat(c).hasSize(4);
    }

    @Test
    void unlimitedIsTheHostAsItIs() {
        assertThat(CpuidRanges.limit(HOST, CpuidRanges.UNLIMITED, CpuidRanges.UNLIMITED)).isEqualTo(HOST);
    }

    @Test
    void subleavesFollowTheirLeaf() {
        List<CpuidEntry> host = List.of(leaf(0, 0xd), new CpuidEntry(0xb, 0, 1, 1, 1, 0x100, 0),
                new CpuidEntry(0xb, 1, 1, 4, 1, 0x201, 0), new CpuidEntry(0x1f, 0, 1, 1, 1, 0x100, 0));
        assertThat(CpuidRanges.limit(host, 0xd, 0x80000000)).extracting(e -> e.function() + "." + e.index())
                .containsExactly("0.0", "11.0", "11.1");
    }
}
