package dev.vmm.app.cli;

import dev.vmm.app.api.ApiException;
import dev.vmm.app.api.ApiRoutes;
import dev.vmm.app.api.ApiServer;
import dev.vmm.app.api.VmController;
import dev.vmm.app.config.VmConfig;
import dev.vmm.app.machine.Console;
import dev.vmm.core.vcpu.StopReason;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import sun.misc.Signal;

/**
 * {@code run --api-socket}: the VMM serves its API until SIGINT, SIGTERM or SIGHUP (then stops a running
 * VM and exits with 128 + the signal's number). The VM boots at once with {@code --config}, else on
 * {@code PUT /actions start}; once stopped it may be configured and started again.
 */
final class ApiMode {
    private ApiMode() {}

    static int serve(Path socket, VmConfig config, boolean bootNow) throws Exception {
        CountDownLatch signalled = new CountDownLatch(1);
        AtomicInteger signal = new AtomicInteger();
        VmController vm = new VmController(config, Console.system(), LaunchReport::print, ApiMode::report);
        try (ApiServer server = ApiServer.start(socket, new ApiRoutes(vm))) {
            for (String name : new String[] {"INT", "TERM", "HUP"}) {
                Signal.handle(new Signal(name), s -> {
                    signal.compareAndSet(0, s.getNumber());
                    signalled.countDown();
                });
            }
            System.err.println("vmm: API on " + server.path());
            if (bootNow) {
                try {
                    vm.start();
                } catch (ApiException e) {
                    System.err.println("vmm: error: " + e.getMessage());
                    return 1;
                }
            }
            signalled.await();
            VmController.State state = vm.state();
            if (state == VmController.State.RUNNING || state == VmController.State.PAUSED) {
                vm.stop();
            }
        }
        return 128 + signal.get();
    }

    /** A VM that stopped other than by its own exit or power-off says why, as {@code run} does. */
    private static void report(StopReason reason) {
        if (!(reason instanceof StopReason.GuestExit) && !(reason instanceof StopReason.PowerOff)) {
            System.err.println("vmm: " + reason.summary());
        }
    }
}
