package dev.vmm.sev.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmm.core.kvm.CpuidEntry;
import dev.vmm.firmware.FirmwareImage;
import dev.vmm.firmware.ovmf.OvmfImage;
import dev.vmm.memory.GuestAddress;
import dev.vmm.memory.GuestMemory;
import dev.vmm.memory.GuestMemoryBuilder;
import dev.vmm.memory.MemoryAttributes;
import dev.vmm.memory.RegionKind;
import dev.vmm.sev.SevMode;
import dev.vmm.sev.cpuid.SnpCpuidTable;
import dev.vmm.sev.measure.LaunchLog;
import dev.vmm.sev.measure.PageType;
import dev.vmm.sev.psp.SimulatedPsp;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The orchestrator over the simulated PSP: order, the CPUID retry, and agreement with {@code measure}. */
class ConfidentialLaunchTest {
    private static final FirmwareImage GUEST = FirmwareImage.testGuest();
    private final GuestMemory memory = new GuestMemoryBuilder().add("ram", 0, 16 << 20, RegionKind.RAM)
            .add("firmware", GUEST.gpa(), GUEST.size(), RegionKind.RAM).build();
    private final MemoryAttributes attributes = new MemoryAttributes((gpa, size, p) -> { });

    @AfterEach
    void close() {
        memory.close();
    }

    private ConfidentialLaunch launch(LaunchPlan plan, long policy) {
        return new ConfidentialLaunch(plan, new ConfidentialLaunch.Options(policy, null, null, null, false),
                new SimulatedPsp(memory, attributes), memory, attributes, true);
    }

    private static LaunchPlan plan(SevMode mode) {
        return LaunchPlanner.plan(mode, OvmfImage.parse(GUEST), null, null, 1, 0x00800f12, 1);
    }

    @Test
    void everyModeLaunchesTheTestGuestToTheDigestMeasureComputes() {
        for (SevMode mode : SevMode.values()) {
            try (GuestMemory m = new GuestMemoryBuilder().add("firmware", GUEST.gpa(), GUEST.size(), RegionKind.RAM).build()) {
                LaunchPlan p = plan(mode);
                var l = new ConfidentialLaunch(p, new ConfidentialLaunch.Options(mode == SevMode.SEV_SNP ? 0x30000 : mode == SevMode.SEV_ES ? 5 : 1,
                        null, null, null, false), new SimulatedPsp(m, attributes), m, attributes, true);
                l.init();
                l.start();
                l.importRanges();
                var result = l.finish(LaunchCalculator.resetStates(p));
                assertThat(result.digest()).as(mode.name()).isEqualTo(LaunchCalculator.digest(p, true, new LaunchLog()));
                assertThat(result.log().entries()).hasSize(mode == SevMode.SEV ? 1 : 2);
            }
        }
    }

    @Test
    void stepsOutOfOrderAreRefused() {
        ConfidentialLaunch l = launch(plan(SevMode.SEV_SNP), 0x30000);
        assertThatThrownBy(l::start).isInstanceOf(LaunchException.class).hasMessageContaining("'launch start' out of order");
        l.init();
        assertThatThrownBy(l::importRanges).hasMessageContaining("'import' out of order");
        assertThatThrownBy(() -> l.finish(List.of())).hasMessageContaining("'finish' out of order");
        l.start();
        l.importRanges();
        assertThatThrownBy(() -> l.finish(List.of())).hasMessage("VMSA before vCPU setup: 0 of 1 vCPUs have their launch registers");
    }

    @Test
    void aRejectedCpuidPageIsCorrectedAndImportedAgain() {
        int tscDeadline = 1 << 24;
        byte[] page = SnpCpuidTable.fromCpuid(List.of(new CpuidEntry(0, 0, 0, 0xd, 0, 0, 0),
                new CpuidEntry(1, 0, 0, 0x800f12, 0, tscDeadline, 0))).page();
        List<LaunchPlan.Range> ranges = new ArrayList<>(plan(SevMode.SEV_SNP).ranges());
        ranges.add(new LaunchPlan.Range(0x80d000, 4096, PageType.CPUID, page, "cpuid section"));
        LaunchPlan p = new LaunchPlan(SevMode.SEV_SNP, ranges, 1, 0x00800f12, 1, 0);
        ConfidentialLaunch l = launch(p, 0x30000);
        l.init();
        l.start();
        l.importRanges();
        var fixed = SnpCpuidTable.parse(memory.read(GuestAddress.of(0x80d000), 4096)).entries().get(1);
        assertThat(fixed.ecx() & tscDeadline).isZero();
        assertThat(l.finish(LaunchCalculator.resetStates(p)).digest()).isEqualTo(LaunchCalculator.digest(p, true, new LaunchLog()));
    }

    @Test
    void badInputsAreNamed() {
        assertThatThrownBy(() -> LaunchPlanner.plan(SevMode.SEV_ES, OvmfImage.parse(GUEST), null, null, 2, 0, 0))
                .hasMessageContaining("no SEV-ES reset block").hasMessageContaining("only 1 vCPU");
        assertThatThrownBy(() -> LaunchPlanner.plan(SevMode.SEV, OvmfImage.parse(GUEST), new byte[176], null, 1, 0, 0))
                .hasMessageContaining("no SEV hashes table");
    }
}
