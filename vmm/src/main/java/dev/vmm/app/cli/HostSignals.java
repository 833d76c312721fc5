package dev.vmm.app.cli;

import dev.vmm.core.vcpu.StopReason;
import dev.vmm.core.vcpu.StopRequester;
import sun.misc.Signal;

/** SIGINT and SIGTERM stop the VM cleanly (status 128 + signal number, as a shell reports it). */
final class HostSignals {
    private HostSignals() {}

    static void forwardTo(StopRequester machine) {
        for (String name : new String[] {"INT", "TERM", "HUP"}) {
            Signal.handle(new Signal(name), s ->
                    machine.requestStop(new StopReason.HostSignal("SIG" + s.getName(), s.getNumber())));
        }
    }
}
