package dev.vmm.sev.launch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmm.core.kvm.CpuidEntry;
import dev.vmm.firmware.FirmwareImage;
import dev.vmm.firmware.ovmf.OvmfImage;
import dev.vmm.memory.GuestAddress;
import dev.vmm.memory.GuestMemory;
import dev.vmm.memory.GuestMemoryBuilder;
import dev.vmm.memory.MemoryAttributes;
import dev.vmm.memory.RegionKind;
import dev.vmm.sev.SevMode;
import dev.vmm.sev.cpu.CpuModel;
import dev.vmm.sev.cpu.GuestCpuid;
import dev.vmm.sev.cpu.SyntheticHostsAccess;
import dev.vmm.sev.cpuid.SnpCpuidTable;
import dev.vmm.sev.measure.LaunchLog;
import dev.vmm.sev.measure.PageType;
import dev.vmm.sev.psp.SimulatedPsp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Debian's OVMF launched as SNP through the simulated PSP with the CPUID page of a large host: the
 * firmware model takes the page unchanged, and the digest is the one {@code vmm measure} computes
 * without any host (ExpectedDigestsTest holds that to the verifier's).
 */
class SnpCpuidLaunchTest {
    private static final Path DEBIAN_OVMF = Path.of("/usr/share/ovmf/OVMF.fd");
    private static OvmfImage ovmf;

    @BeforeAll
    static void firmware() {
        if (!Files.isRegularFile(DEBIAN_OVMF)) {
            throw new AssertionError(DEBIAN_OVMF + " is missing: install Debian's ovmf package (.ci/setup does)");
        }
        ovmf = OvmfImage.parse(FirmwareImage.read(DEBIAN_OVMF));
    }

    static Stream<Arguments> cases() {
        return Stream.of("EPYC-v4", "EPYC-Milan", "EPYC-Genoa").flatMap(m -> Stream.of(
                Arguments.of("intel", SyntheticHostsAccess.intel(), m), Arguments.of("amd", SyntheticHostsAccess.amd(), m)));
    }

    @ParameterizedTest(name = "{0} host, {2}")
    @MethodSource("cases")
    void theFirmwareTakesThePageAndTheDigestIsTheMeasuredOne(String host, List<CpuidEntry> supported, String name) {
        CpuModel model = CpuModel.byName(name).orElseThrow();
        byte[] page = GuestCpuid.of(model, SevMode.SEV_SNP, supported).snpTable(1).page();
        LaunchPlan plan = LaunchPlanner.plan(SevMode.SEV_SNP, ovmf, null, page, 1, model.signature(), 1);
        LaunchPlan measured = LaunchPlanner.plan(SevMode.SEV_SNP, ovmf, null, new SnpCpuidTable(List.of()).page(), 1,
                model.signature(), 1);
        long cpuidGpa = plan.ranges().stream().filter(r -> r.type() == PageType.CPUID).findFirst().orElseThrow().gpa();
        MemoryAttributes attributes = new MemoryAttributes((gpa, size, p) -> { });
        try (GuestMemory memory = new GuestMemoryBuilder().add("ram", 0, 16 << 20, RegionKind.RAM)
                .add("firmware", ovmf.gpa(), ovmf.image().size(), RegionKind.RAM).build()) {
            var launch = new ConfidentialLaunch(plan, new ConfidentialLaunch.Options(0x30000, null, null, null, false),
                    new SimulatedPsp(memory, attributes), memory, attributes, true);
            launch.init();
            launch.start();
            launch.importRanges();
            // Unchanged: the firmware model refused nothing, so no corrected page was written back.
            assertThat(memory.read(GuestAddress.of(cpuidGpa), 4096)).isEqualTo(page);
            byte[] digest = launch.finish(LaunchCalculator.resetStates(plan)).digest();
            assertThat(digest).isEqualTo(LaunchCalculator.digest(measured, true, new LaunchLog()));
        }
    }
}
