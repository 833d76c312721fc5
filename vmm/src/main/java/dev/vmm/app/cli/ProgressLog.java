package dev.vmm.app.cli;

import dev.vmm.app.machine.Machine;
import dev.vmm.core.vcpu.VcpuRunner;
import dev.vmm.core.vcpu.VcpuState;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * With {@code -v}: where each vCPU is, every interval. On a host whose KVM emulates every instruction a
 * firmware boot takes minutes with long silent stretches; this tells a stuck guest from a slow one.
 */
final class ProgressLog {
    private ProgressLog() {}

    static Thread start(Machine machine, Duration interval) {
        return Thread.ofPlatform().daemon().name("progress").start(() -> {
            try {
                while (!machine.vcpus().isStopRequested()) {
                    Thread.sleep(interval);
                    for (VcpuRunner r : machine.vcpus().runners()) {
                        VcpuState st = r.snapshot().get(5, TimeUnit.SECONDS);
                        if (st != null) {
                            System.err.printf("vmm: vcpu%d at RIP 0x%x in %s, %d exits%n", r.id(), st.regs().rip(),
                                    st.sregs().cpuMode(), r.exits());
                        }
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                // a vCPU that did not answer in time: the stop path reports what happened
            }
        });
    }
}
