package dev.vmm.sev.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmm.core.kvm.CpuidEntry;
import dev.vmm.sev.host.HostCheck.Verdict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CPU lines from each fact source. KVM's leaves are written as Linux 6.12's KVM_GET_SUPPORTED_CPUID
 * gives them on an SNP host (arch/x86/kvm/cpuid.c): SME 0, EBX[11:6] 0, the SEV bits those of kvm_amd's
 * parameters, the whole leaf 0 when kvm_amd's sev is off.
 */
class CpuChecksTest {
    private static final Path CPUID_DEVICE = Path.of("/dev/cpu/0/cpuid");
    /** "AuthenticAMD" in EBX, EDX, ECX of leaf 0. */
    private static final CpuidEntry LEAF0 = new CpuidEntry(0, 0, 0, 0x10, 0x68747541, 0x444d4163, 0x69746e65);

    private static Map<String, HostCheck> byName(List<HostCheck> checks) {
        return checks.stream().collect(Collectors.toMap(HostCheck::name, Function.identity()));
    }

    private static CpuidEntry leaf1f(int eax, int ebx, int ecx, int edx) {
        return new CpuidEntry(CpuFacts.LEAF, 0, 0, eax, ebx, ecx, edx);
    }

    @Test
    void kvmsViewOfAnSnpHostFailsNothingItHides() {
        // SEV, SEV-ES, SNP on (kvm_amd sev, sev_es, sev_snp = Y); SME and the reduction bits zeroed by KVM.
        List<HostCheck> checks = CpuChecks.of(CpuFacts.fromKvm(List.of(LEAF0, leaf1f(0b11010, 51, 1006, 100)), CPUID_DEVICE));
        Map<String, HostCheck> c = byName(checks);
        assertThat(c.get("CPU vendor").verdict()).isEqualTo(Verdict.PASS);
        assertThat(c.get("CPU vendor").detail()).contains("KVM_GET_SUPPORTED_CPUID");
        assertThat(c.get("CPUID SME").verdict()).isEqualTo(Verdict.SKIP);
        assertThat(c.get("CPUID SME").required()).isFalse();
        assertThat(c.get("CPUID SME").detail()).contains("always reports SME (EAX bit 0) as 0");
        assertThat(c.get("CPUID SEV-SNP").verdict()).isEqualTo(Verdict.PASS);
        assertThat(c.get("CPUID SEV-SNP").detail()).contains("KVM_GET_SUPPORTED_CPUID").contains("kvm_amd.sev_snp is on");
        assertThat(c.get("C-bit position").verdict()).isEqualTo(Verdict.PASS);
        assertThat(c.get("C-bit position").detail()).startsWith("bit 51 (EBX, KVM_GET_SUPPORTED_CPUID")
                .doesNotContain("reduced by");
        assertThat(c.get("Encrypted guests").detail()).contains("1006 simultaneous").contains("SEV-ES/SNP ASIDs 1..99");
        assertThat(checks).noneMatch(HostCheck::blocksSnp);
    }

    @Test
    void anAllZeroKvmLeafIsKvmAmdsSevOffNotTheCpu() {
        List<HostCheck> checks = CpuChecks.of(CpuFacts.fromKvm(List.of(LEAF0, leaf1f(0, 0, 0, 0)), CPUID_DEVICE));
        Map<String, HostCheck> c = byName(checks);
        for (String f : List.of("CPUID SEV", "CPUID SEV-ES", "CPUID SEV-SNP", "C-bit position", "Encrypted guests")) {
            assertThat(c.get(f).verdict()).as(f).isEqualTo(Verdict.SKIP);
            assertThat(c.get(f).detail()).as(f).contains("kvm_amd's sev is off").contains("modprobe cpuid")
                    .doesNotContain("no C-bit").doesNotContain("no ASID");
        }
        assertThat(checks).noneMatch(HostCheck::blocksSnp);
    }

    @Test
    void aClearSnpBitFromKvmFollowsKvmAmdsParameter() {
        Map<String, HostCheck> c = byName(CpuChecks.of(CpuFacts.fromKvm(List.of(LEAF0, leaf1f(0b01010, 51, 509, 100)),
                CPUID_DEVICE)));
        assertThat(c.get("CPUID SEV-ES").verdict()).isEqualTo(Verdict.PASS);
        assertThat(c.get("CPUID SEV-SNP").verdict()).isEqualTo(Verdict.SKIP);
        assertThat(c.get("CPUID SEV-SNP").detail()).contains("clear in KVM_GET_SUPPORTED_CPUID")
                .contains("follows kvm_amd.sev_snp");
    }

    @Test
    void kvmWithoutTheLeafMeansTheCpuHasNone() {
        HostCheck snp = byName(CpuChecks.of(CpuFacts.fromKvm(List.of(LEAF0), CPUID_DEVICE))).get("CPUID SEV-SNP");
        assertThat(snp.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(snp.detail()).contains("KVM reports no CPUID 0x8000001F").contains("KVM_GET_SUPPORTED_CPUID");
    }

    /** /proc/cpuinfo of a typical SNP host: no 'sme' flag, as the kernel did not turn SME on itself. */
    @Test
    void cpuinfoWithoutTheSmeFlagIsNoFailure(@TempDir Path dir) throws IOException {
        Path cpuinfo = Files.writeString(dir.resolve("cpuinfo"), "processor\t: 0\nvendor_id\t: AuthenticAMD\n"
                + "flags\t\t: fpu vme svm sev sev_es sev_snp\n");
        List<HostCheck> checks = CpuChecks.of(CpuFacts.fromCpuinfo(cpuinfo));
        Map<String, HostCheck> c = byName(checks);
        assertThat(c.get("CPUID SME").verdict()).isEqualTo(Verdict.SKIP);
        assertThat(c.get("CPUID SME").required()).isFalse();
        assertThat(c.get("CPUID SME").detail()).contains("only when it activated SME");
        assertThat(c.get("CPUID SEV-SNP").verdict()).isEqualTo(Verdict.PASS);
        assertThat(c.get("CPUID SEV-SNP").detail()).isEqualTo("/proc/cpuinfo flag 'sev_snp' (the kernel's view)");
        assertThat(checks).noneMatch(HostCheck::blocksSnp);

        Path noSnp = Files.writeString(dir.resolve("cpuinfo2"), "vendor_id\t: AuthenticAMD\nflags\t\t: fpu sme sev sev_es\n");
        Map<String, HostCheck> d = byName(CpuChecks.of(CpuFacts.fromCpuinfo(noSnp)));
        assertThat(d.get("CPUID SME").verdict()).isEqualTo(Verdict.PASS);
        assertThat(d.get("CPUID SEV-SNP").verdict()).isEqualTo(Verdict.FAIL);
        assertThat(d.get("CPUID SEV-SNP").detail()).startsWith("no /proc/cpuinfo flag 'sev_snp'");
    }

    @Test
    void theCpusOwnClearSmeBitIsInformational() {
        CpuFacts cpu = new CpuFacts(CpuFacts.Origin.CPUID_DEVICE, "CPUID via " + CPUID_DEVICE, "AuthenticAMD",
                Optional.of(new int[] {0b11010, 51 | 5 << 6, 1006, 100}), "", Set.of());
        Map<String, HostCheck> c = byName(CpuChecks.of(cpu));
        assertThat(c.get("CPUID SME").verdict()).isEqualTo(Verdict.SKIP);
        assertThat(c.get("CPUID SME").blocksSnp()).isFalse();
        assertThat(c.get("C-bit position").detail()).isEqualTo("bit 51, physical address space reduced by 5 bits (EBX)");
    }
}
