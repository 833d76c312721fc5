package dev.vmm.app.machine;

import dev.vmm.core.vcpu.StopReason;
import dev.vmm.core.vcpu.StopRequester;
import dev.vmm.devices.MachineRequest;

/** What the guest asks through a device, as this VMM answers it: every request stops the VM. */
final class MachineRequests {
    private MachineRequests() {}

    static MachineRequest.Sink stopping(StopRequester vm) {
        return request -> vm.requestStop(switch (request) {
            case MachineRequest.PowerOff(String how) -> new StopReason.PowerOff(how);
            case MachineRequest.Reset(String how) -> new StopReason.Reset(how);
            case MachineRequest.GuestExit(int status) -> new StopReason.GuestExit(status);
        });
    }
}
