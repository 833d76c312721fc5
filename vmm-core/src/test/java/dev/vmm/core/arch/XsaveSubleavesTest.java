package dev.vmm.core.arch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmm.core.kvm.CpuidEntry;
import java.util.List;
import org.junit.jupiter.api.Test;

class XsaveSubleavesTest {
    private static CpuidEntry xsave(int subleaf, int eax, int ecx) {
        return new CpuidEntry(0xd, subleaf, CpuidEntry.FLAG_SIGNIFICANT_INDEX, eax, 0x240, ecx, 0);
    }

    @Test
    void onlyComponentsInXcr0OrXssKeepASubleaf() {
        // XCR0: x87, SSE, AVX (bit 2), PKRU (bit 9); XSS: CET user (bit 11).
        List<CpuidEntry> host = List.of(new CpuidEntry(0, 0, 0, 0xd, 0, 0, 0), xsave(0, 1 | 2 | 4 | 1 << 9, 0),
                xsave(1, 0xf, 1 << 11), xsave(2, 0x100, 0), xsave(5, 0x40, 0), xsave(9, 8, 0), xsave(11, 0x10, 1),
                xsave(17, 0x40, 0), xsave(63, 1, 0));
        assertThat(XsaveSubleaves.trim(host)).extracting(CpuidEntry::index).containsExactly(0, 0, 1, 2, 9, 11);
    }

    @Test
    void withoutLeaf0xDNothingChanges() {
        List<CpuidEntry> host = List.of(new CpuidEntry(0, 0, 0, 7, 0, 0, 0), new CpuidEntry(7, 0, 1, 0, 1, 0, 0));
        assertThat(XsaveSubleaves.trim(host)).isEqualTo(host);
    }
}
