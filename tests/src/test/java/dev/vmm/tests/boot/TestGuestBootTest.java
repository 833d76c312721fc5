package dev.vmm.tests.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.vmm.app.machine.ExitStatus;
import dev.vmm.core.arch.CpuVendor;
import dev.vmm.core.kvm.Kvm;
import dev.vmm.core.vcpu.StopReason;
import dev.vmm.core.vcpu.VcpuRunner;
import dev.vmm.firmware.TestGuest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The embedded test guest on real /dev/kvm, in this JVM. */
class TestGuestBootTest {
    private static final Pattern CPU_LINE = Pattern.compile("cpu \\d+: (BSP|AP) online, APIC ID (\\d+)\n");

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4})
    void everyVcpuComesUpWithItsOwnApicId(int cpus) throws Exception {
        StringBuilder out = new StringBuilder();
        StopReason reason = TestVm.run(cpus, "boot", out);
        assertThat(reason).isEqualTo(new StopReason.GuestExit(0));
        assertThat(out).startsWith("vmm test guest: reset vector -> real mode -> protected mode -> long mode\n")
                .contains("vCPUs online: " + cpus + " of " + cpus + "\n")
                .endsWith("exit 0\n")
                .doesNotContain("CPUID says");
        Matcher m = CPU_LINE.matcher(out);
        var ids = m.results().map(r -> Integer.parseInt(r.group(2))).collect(Collectors.toSet());
        assertThat(ids).as("APIC IDs reported, one per vCPU").hasSize(cpus).allMatch(id -> id < cpus);
        assertThat(out.toString()).containsOnlyOnce("BSP online, APIC ID 0");
    }

    /**
     * The guest counts up to 64 vCPUs; with more, the first 64 report and the rest halt unseen. Once,
     * the 65th arrival took a stack past the end and reported ("65 of 64", exit 16) whenever it beat
     * the BSP's count (issue 15): started many times, the result must be the same every time.
     */
    @ParameterizedTest
    @ValueSource(ints = {64, 65, 254})
    void atTheGuestsLimitAndBeyondTheCountIsTheSameEveryTime(int cpus) throws Exception {
        for (int round = 0; round < 6; round++) {
            StringBuilder out = new StringBuilder();
            assertThat(TestVm.run(cpus, "boot", out)).as(out.toString()).isEqualTo(new StopReason.GuestExit(0));
            assertThat(out).contains("vCPUs online: 64 of 64\n");
            assertThat(CPU_LINE.matcher(out).results().map(r -> r.group(2)).distinct().count()).as(out.toString()).isEqualTo(64);
            if (cpus > 64) {
                assertThat(out).contains("test guest: counts the first 64 of " + cpus + " vCPUs\n");
            }
        }
    }

    @Test
    void theGuestsStatusIsTheExitStatus() throws Exception {
        StringBuilder out = new StringBuilder();
        assertThat(TestVm.run(1, "exit:42", out)).isEqualTo(new StopReason.GuestExit(42));
        assertThat(TestVm.run(1, "no-such-scenario", new StringBuilder()))
                .isEqualTo(new StopReason.GuestExit(TestGuest.EXIT_BAD_SCENARIO));
    }

    @Test
    void theLoopScenarioEndsForEveryCountIncludingZero() throws Exception {
        assertThat(TestVm.run(1, "loop:0", new StringBuilder())).isEqualTo(new StopReason.GuestExit(0));
        assertThat(TestVm.run(1, "loop:1000", new StringBuilder())).isEqualTo(new StopReason.GuestExit(0));
    }

    @Test
    void aTripleFaultStopsTheVmWithRegisters() throws Exception {
        StopReason reason = TestVm.run(2, "triple-fault", new StringBuilder());
        assertThat(reason).isInstanceOfSatisfying(StopReason.GuestFault.class, f -> {
            assertThat(f.vcpu()).isZero();
            assertThat(f.event()).isEqualTo("triple fault (KVM_EXIT_SHUTDOWN)");
            if (f.state().isResetState()) {
                // AMD's KVM INITs the vCPU at a shutdown; the report must say the registers are not the guest's.
                assertThat(CpuVendor.isAmdLike(hostVendor())).as("INIT state after a shutdown on " + hostVendor()).isTrue();
                assertThat(f.detail()).startsWith(VcpuRunner.SHUTDOWN_REINIT);
                return;
            }
            assertThat(f.state().regs().rdx()).as("the non-canonical address the guest loaded")
                    .isEqualTo(0x8000000000000000L);
            assertThat(f.summary()).contains("in 64-bit long mode");
        });
        assertThat(ExitStatus.of(reason)).isEqualTo(ExitStatus.GUEST_FAULT);
    }

    @Test
    void anInstructionKvmCannotEmulateIsReportedWithItsBytes() throws Exception {
        StopReason reason;
        try (TestVm vm = new TestVm(TestVm.scenario(1, "fwait").toBuilder().emulationAssist(false).build())) {
            reason = vm.start().awaitStop();
        }
        // A host with hardware virtualization runs FWAIT natively: nothing for KVM to fail on.
        assumeFalse(reason.equals(new StopReason.GuestExit(TestGuest.EXIT_FWAIT_RAN)),
                "this host's KVM ran FWAIT (hardware virtualization), so no instruction fails to emulate");
        assertThat(reason).isInstanceOfSatisfying(StopReason.GuestFault.class, f -> {
            assertThat(f.event()).contains("KVM_INTERNAL_ERROR_EMULATION");
            assertThat(f.detail()).startsWith("instruction bytes: 9b ");
            assertThat(f.summary()).contains("at RIP 0x" + Long.toHexString(f.state().regs().rip()))
                    .contains("64-bit long mode");
        });
    }

    private static String hostVendor() {
        try (Kvm kvm = Kvm.open()) {
            return CpuVendor.of(kvm.supportedCpuid());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"halt", "spin"})
    void theHostStopsAGuestThatNeverExits(String scenario) throws Exception {
        try (TestVm vm = new TestVm(2, scenario).start()) {
            vm.awaitOutput(scenario.equals("halt") ? "halting" : "spinning");
            long t0 = System.nanoTime();
            vm.machine.requestStop(new StopReason.HostRequest("test"));
            assertThat(vm.awaitStop()).isEqualTo(new StopReason.HostRequest("test"));
            assertThat((System.nanoTime() - t0) / 1e9).as("seconds to stop").isLessThan(5);
        }
    }
}
