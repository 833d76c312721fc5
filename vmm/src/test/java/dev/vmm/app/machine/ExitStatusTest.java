package dev.vmm.app.machine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmm.core.vcpu.StopReason;
import dev.vmm.devices.MachineRequest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** README's exit statuses, from every stop reason, and what a device's request becomes. */
class ExitStatusTest {
    @Test
    void everyReasonHasReadmesStatus() {
        assertThat(ExitStatus.of(new StopReason.GuestExit(42))).isEqualTo(42);
        assertThat(ExitStatus.of(new StopReason.PowerOff("ACPI S5"))).isZero();
        assertThat(ExitStatus.of(new StopReason.Reset("0xCF9"))).isZero();
        assertThat(ExitStatus.of(new StopReason.HostRequest("Ctrl-A x"))).isZero();
        assertThat(ExitStatus.of(new StopReason.HostSignal("SIGTERM", 15))).isEqualTo(143);
        assertThat(ExitStatus.of(new StopReason.GuestFault(0, "triple fault", "", null))).isEqualTo(3);
        assertThat(ExitStatus.of(new StopReason.VmmFailure("vcpu0", new IllegalStateException()))).isEqualTo(1);
    }

    @Test
    void aDeviceRequestStopsTheVm() {
        List<StopReason> stops = new ArrayList<>();
        MachineRequest.Sink sink = MachineRequests.stopping(stops::add);
        sink.request(new MachineRequest.Reset("port 0x92 fast reset"));
        sink.request(new MachineRequest.PowerOff("ACPI S5 (PM1a_CNT)"));
        sink.request(new MachineRequest.GuestExit(7));
        assertThat(stops).containsExactly(new StopReason.Reset("port 0x92 fast reset"),
                new StopReason.PowerOff("ACPI S5 (PM1a_CNT)"), new StopReason.GuestExit(7));
        assertThat(stops.getFirst().summary()).contains("does not reboot");
    }
}
