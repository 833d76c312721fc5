package dev.vmm.sev.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmm.core.kvm.Kvm;
import dev.vmm.core.kvm.KvmUnavailableException;
import dev.vmm.sev.SevMode;
import dev.vmm.sev.launch.SevHostSupport;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostReadinessTest {
    private static Map<String, HostCheck> byName(List<HostCheck> checks) {
        return checks.stream().collect(Collectors.toMap(HostCheck::name, Function.identity()));
    }

    /** This host, whatever it is: each verdict must match what an independent probe finds. */
    @Test
    void thisHostGetsTheReasonsItsOwnProbesGive() throws Exception {
        List<HostCheck> checks = new HostReadiness(HostPaths.real()).run();
        Map<String, HostCheck> c = byName(checks);

        Path sev = Path.of("/dev/sev");
        Optional<String> sevProblem = SevHostSupport.sevDeviceProblem(sev);
        if (!Files.exists(sev)) {
            assertThat(c.get("/dev/sev").verdict()).isEqualTo(HostCheck.Verdict.FAIL);
            assertThat(c.get("/dev/sev").detail()).isEqualTo(sevProblem.orElseThrow())
                    .isEqualTo("/dev/sev does not exist (no SEV firmware driver: ccp/psp)");
            assertThat(c.get("SNP firmware").verdict()).isEqualTo(HostCheck.Verdict.SKIP);
        }

        long types = -1;
        try (Kvm kvm = Kvm.open()) {
            types = kvm.supportedVmTypes();
        } catch (KvmUnavailableException e) {
            assertThat(c.get("/dev/kvm").verdict()).isEqualTo(HostCheck.Verdict.FAIL);
            assertThat(c.get("/dev/kvm").detail()).isEqualTo(e.getMessage());
        }
        if (types != -1) {
            boolean snpType = (types & 1L << 4) != 0;
            assertThat(c.get("KVM SNP VM type").verdict())
                    .isEqualTo(snpType ? HostCheck.Verdict.PASS : HostCheck.Verdict.FAIL);
            if (!snpType) {
                assertThat(c.get("KVM SNP VM type").detail())
                        .startsWith(SevHostSupport.vmTypeProblem(SevMode.SEV_SNP, types).orElseThrow())
                        .contains("needs type 4 (KVM_X86_SNP_VM)");
            }
        }

        if (!Files.isDirectory(Path.of("/sys/module/kvm_amd/parameters"))) {
            assertThat(c.get("kvm_amd module").verdict()).isEqualTo(HostCheck.Verdict.FAIL);
            assertThat(c.get("kvm_amd module").detail()).startsWith("kvm_amd is not loaded");
            assertThat(c.get("kvm_amd.sev_snp").verdict()).isEqualTo(HostCheck.Verdict.SKIP);
        }

        String vendor = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("vendor_id"))
                .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("");
        if (!vendor.equals("AuthenticAMD")) {
            assertThat(c.get("CPU vendor").verdict()).isEqualTo(HostCheck.Verdict.FAIL);
            assertThat(c.get("CPU vendor").detail()).startsWith(vendor);
            assertThat(c.get("CPUID SEV-SNP").verdict()).isEqualTo(HostCheck.Verdict.FAIL);
        }
        if (!Files.exists(Path.of("/dev/cpu/0/msr"))) {
            assertThat(c.get("SYSCFG SNP").verdict()).isEqualTo(HostCheck.Verdict.SKIP);
            assertThat(c.get("SYSCFG SNP").detail()).contains("/dev/cpu/0/msr does not exist");
        }
        boolean expectReady = Files.exists(sev) && vendor.equals("AuthenticAMD") && types != -1 && (types & 1L << 4) != 0;
        if (!expectReady) {
            assertThat(HostReadiness.snpLaunchable(checks)).isFalse();
        }
        assertThat(checks).allSatisfy(k -> {
            assertThat(k.detail()).isNotBlank();
            if (k.verdict() == HostCheck.Verdict.FAIL) {
                assertThat(k.hint()).as(k.name()).isNotBlank();
            }
        });
    }

    /** A host this one is not: an SNP-capable AMD CPU whose kvm_amd has sev_snp off. */
    @Test
    void anAmdHostWithSnpOffInKvmAmd(@TempDir Path dir) throws IOException {
        Path cpuid = dir.resolve("cpuid");
        // Leaf 0: "AuthenticAMD"; 0x80000000: max 0x80000028; 0x8000001F: SME|SEV|SEV-ES|SNP, C-bit 51,
        // 5 bits of address reduction, 1006 guests, minimum SEV ASID 100.
        put(cpuid, 0, 0x10, 0x68747541, 0x444d4163, 0x69746e65);
        put(cpuid, 0x80000000L, 0x80000028, 0, 0, 0);
        put(cpuid, 0x8000001FL, 0b11011, 51 | 5 << 6, 1006, 100);
        Path msr = dir.resolve("msr");
        putLong(msr, HostReadiness.MSR_SYSCFG, 1L << 23);          // SMEE on, SNP off
        putLong(msr, HostReadiness.MSR_RMP_BASE, 0);
        putLong(msr, HostReadiness.MSR_RMP_END, 0);
        Path params = dir.resolve("module/kvm_amd/parameters");
        Files.createDirectories(params);
        Files.writeString(params.resolve("sev"), "Y\n");
        Files.writeString(params.resolve("sev_es"), "Y\n");
        Files.writeString(params.resolve("sev_snp"), "N\n");
        HostPaths paths = new HostPaths(cpuid, msr, dir.resolve("cpuinfo"), dir.resolve("module"), dir.resolve("no-kvm"),
                dir.resolve("no-sev"));

        List<HostCheck> checks = new HostReadiness(paths).run();
        Map<String, HostCheck> c = byName(checks);
        assertThat(c.get("CPU vendor").verdict()).isEqualTo(HostCheck.Verdict.PASS);
        for (String f : List.of("CPUID SME", "CPUID SEV", "CPUID SEV-ES", "CPUID SEV-SNP")) {
            assertThat(c.get(f).verdict()).as(f).isEqualTo(HostCheck.Verdict.PASS);
        }
        assertThat(c.get("CPUID SME").required()).as("SNP needs SYSCFG MemEncryptionModEn, not SME").isFalse();
        assertThat(c.get("C-bit position").detail()).startsWith("bit 51, physical address space reduced by 5 bits");
        assertThat(c.get("Encrypted guests").detail()).contains("1006 simultaneous").contains("SEV-ES/SNP ASIDs 1..99");
        assertThat(c.get("SYSCFG memory encryption").verdict()).isEqualTo(HostCheck.Verdict.PASS);
        assertThat(c.get("SYSCFG SNP").verdict()).isEqualTo(HostCheck.Verdict.FAIL);
        assertThat(c.get("SYSCFG SNP").detail()).contains("SecureNestedPagingEn (bit 24) clear");
        assertThat(c.get("kvm_amd.sev").verdict()).isEqualTo(HostCheck.Verdict.PASS);
        assertThat(c.get("kvm_amd.sev_snp").verdict()).isEqualTo(HostCheck.Verdict.FAIL);
        assertThat(c.get("kvm_amd.sev_snp").detail()).isEqualTo("kvm_amd.sev_snp is N (needs Y)");
        assertThat(c.get("/dev/kvm").verdict()).isEqualTo(HostCheck.Verdict.FAIL);
        assertThat(c.get("/dev/sev").detail()).contains("no-sev does not exist");
        assertThat(c.get("RMP table").verdict()).isEqualTo(HostCheck.Verdict.FAIL);
        assertThat(c.get("RMP table").detail()).contains("no RMP table reserved");
        assertThat(HostReadiness.snpLaunchable(checks)).isFalse();
    }

    @Test
    void noAsidsLeftForSnpIsAFailure(@TempDir Path dir) throws IOException {
        Path cpuid = dir.resolve("cpuid");
        put(cpuid, 0, 0x10, 0x68747541, 0x444d4163, 0x69746e65);
        put(cpuid, 0x80000000L, 0x80000021, 0, 0, 0);
        put(cpuid, 0x8000001FL, 0b11011, 47, 509, 1);
        HostPaths paths = new HostPaths(cpuid, dir.resolve("msr"), dir.resolve("cpuinfo"), dir.resolve("module"),
                dir.resolve("no-kvm"), dir.resolve("no-sev"));
        HostCheck asids = byName(new HostReadiness(paths).run()).get("Encrypted guests");
        assertThat(asids.verdict()).isEqualTo(HostCheck.Verdict.FAIL);
        assertThat(asids.detail()).contains("minimum SEV ASID 1").contains("no ASID is left");
        assertThat(asids.hint()).contains("SEV-ES ASID Space Limit");
    }

    private static void put(Path file, long leaf, int eax, int ebx, int ecx, int edx) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt(eax).putInt(ebx).putInt(ecx).putInt(edx)
                .flip();
        write(file, leaf, b);
    }

    private static void putLong(Path file, long at, long value) throws IOException {
        write(file, at, ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).flip());
    }

    /** A sparse file standing in for the cpuid/msr device: 16 or 8 bytes at the register's offset. */
    private static void write(Path file, long at, ByteBuffer b) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            ch.write(b, at);
        }
    }
}
