package dev.vmm.sev.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmm.core.arch.CpuidRanges;
import dev.vmm.core.kvm.CpuidEntry;
import dev.vmm.sev.SevMode;
import dev.vmm.sev.cpuid.CpuidPageOverflowException;
import dev.vmm.sev.cpuid.SnpCpuidAdjust;
import dev.vmm.sev.cpuid.SnpCpuidTable;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The guest's CPUID for a model on hosts with far more leaves than the SNP CPUID page holds. */
class GuestCpuidTest {
    static Stream<Arguments> hostsAndModels() {
        return Stream.of("EPYC-v4", "EPYC-Rome", "EPYC-Milan-v2", "EPYC-Genoa", "EPYC-Turin").flatMap(m -> Stream.of(
                Arguments.of("intel", SyntheticHosts.intel(), CpuModel.byName(m).orElseThrow()),
                Arguments.of("amd", SyntheticHosts.amd(), CpuModel.byName(m).orElseThrow())));
    }

    @Test
    void theSyntheticHostsAreLargerThanThePage() {
        assertThat(SyntheticHosts.intel()).hasSizeGreaterThanOrEqualTo(100);
        assertThat(SyntheticHosts.amd()).hasSizeGreaterThanOrEqualTo(100);
    }

    @ParameterizedTest(name = "{0} host, {2}")
    @MethodSource("hostsAndModels")
    void thePageFitsAndSaysWhatEveryVcpuIsGiven(String host, List<CpuidEntry> supported, CpuModel model) {
        GuestCpuid cpuid = GuestCpuid.of(model, SevMode.SEV_SNP, supported);
        SnpCpuidTable table = cpuid.snpTable(4);
        assertThat(table.entries()).hasSizeLessThanOrEqualTo(SnpCpuidTable.MAX_ENTRIES);
        List<CpuidEntry> bsp = cpuid.forVcpu(0, 4);
        for (CpuidEntry e : bsp) {
            int ecxIn = (e.flags() & CpuidEntry.FLAG_SIGNIFICANT_INDEX) != 0 ? e.index() : 0;
            var inPage = table.entries().stream().filter(p -> p.eaxIn() == e.function() && p.ecxIn() == ecxIn).toList();
            if ((e.eax() | e.ebx() | e.ecx() | e.edx()) == 0) {
                assertThat(inPage).as("all-zero leaf %x.%x", e.function(), e.index()).isEmpty();
                continue;
            }
            assertThat(inPage).as("leaf %x.%x", e.function(), e.index()).hasSize(1);
            var p = inPage.getFirst();
            boolean xsaveBase = e.function() == 0xd && ecxIn <= 1;
            assertThat(new int[] {p.eax(), p.ecx(), p.edx()}).isEqualTo(new int[] {e.eax(), e.ecx(), e.edx()});
            assertThat(p.ebx()).isEqualTo(xsaveBase ? 0x240 : e.ebx());
            assertThat(SnpCpuidAdjust.hasRefusedBits(p.eaxIn(), p.ecxIn(), p.ebx(), p.ecx(), p.edx())).isFalse();
        }
        assertThat(table.entries().size()).isEqualTo(bsp.stream().filter(e -> (e.eax() | e.ebx() | e.ecx() | e.edx()) != 0).count());
    }

    @ParameterizedTest(name = "{0} host, {2}")
    @MethodSource("hostsAndModels")
    void theModelEndsTheRanges(String host, List<CpuidEntry> supported, CpuModel model) {
        List<CpuidEntry> c = GuestCpuid.of(model, SevMode.SEV_SNP, supported).entries();
        assertThat(CpuidRanges.max(c, CpuidRanges.BASIC)).isEqualTo(model.level());
        // xlevel, raised to 0x8000001F for a confidential guest, but never above what the host has.
        int hostMax = CpuidRanges.max(supported, CpuidRanges.EXTENDED);
        int want = Integer.compareUnsigned(model.xlevel(), 0x8000001f) < 0 ? 0x8000001f : model.xlevel();
        assertThat(CpuidRanges.max(c, CpuidRanges.EXTENDED)).isEqualTo(Integer.compareUnsigned(hostMax, want) < 0 ? hostMax : want);
        assertThat(c).allSatisfy(e -> assertThat(Integer.compareUnsigned(e.function(), CpuidRanges.EXTENDED) >= 0
                || Integer.compareUnsigned(e.function(), model.level()) <= 0
                || e.function() >>> 28 == 4).as("leaf %x", e.function()).isTrue());
        assertThat(c.stream().filter(e -> e.function() == 1).findFirst().orElseThrow().eax()).isEqualTo(model.signature());
    }

    @Test
    void onAnAmdHostTheHostModelFitsToo() {
        List<CpuidEntry> amd = SyntheticHosts.amd();
        CpuModel host = CpuModel.fromSignature("host", 0xb00f00);
        assertThat(amd.size()).isGreaterThan(100);
        SnpCpuidTable table = GuestCpuid.of(host, SevMode.SEV_SNP, amd).snpTable(1);
        // 0x80000026 (extended topology) is zeroed for the one-core-per-socket shape, so it has no entry.
        assertThat(table.entries()).hasSizeLessThanOrEqualTo(SnpCpuidTable.MAX_ENTRIES)
                .extracting(SnpCpuidTable.Entry::eaxIn).contains(0x80000028, 0x10).doesNotContain(0x80000026);
    }

    @Test
    void tooManyLeavesIsOneErrorThatNamesThemAll() {
        // The Intel host as it is (-cpu host): basic leaves to 0x24 with all their subleaves.
        CpuModel host = CpuModel.fromSignature("host", 0x806f8);
        GuestCpuid cpuid = GuestCpuid.of(host, SevMode.SEV_SNP, SyntheticHosts.intel());
        long nonZero = cpuid.forVcpu(0, 1).stream().filter(e -> (e.eax() | e.ebx() | e.ecx() | e.edx()) != 0).count();
        assertThat(nonZero).isGreaterThan(SnpCpuidTable.MAX_ENTRIES);
        assertThatThrownBy(() -> cpuid.snpTable(1)).isInstanceOf(CpuidPageOverflowException.class)
                .hasMessageStartingWith("SNP CPUID page: the guest CPUID has " + nonZero + " non-zero leaves, the page "
                        + "holds at most 64 (0x0.0 0x1.0 0x2.0 0x4.0 ")
                .hasMessageContaining(" 0x18.7 ").hasMessageContaining("0x80000008.0)")
                .satisfies(e -> assertThat(((CpuidPageOverflowException) e).leaves()).hasSize((int) nonZero));
    }

    @Test
    void sevAndSevEsKeepTheBitsOnlySnpFirmwareRefuses() {
        CpuModel milan = CpuModel.byName("EPYC-Milan").orElseThrow();
        int tscDeadline = 1 << 24;
        List<CpuidEntry> host = List.of(new CpuidEntry(0, 0, 0, 1, 0, 0, 0), new CpuidEntry(1, 0, 0, 0, 0, tscDeadline, 0));
        assertThat(GuestCpuid.of(milan, SevMode.SEV_ES, host).entries().get(1).ecx()).isEqualTo(tscDeadline);
        assertThat(GuestCpuid.of(milan, SevMode.SEV_SNP, host).entries().get(1).ecx()).isZero();
    }
}
