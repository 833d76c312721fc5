package dev.vmm.app.cli;

import dev.vmm.app.machine.Machine;
import dev.vmm.core.kvm.ExitReason;
import java.util.StringJoiner;

/** After a run: what the emulation assist did (always, when it did anything), exit counts (verbose). */
final class RunStatistics {
    private RunStatistics() {}

    static void print(Machine machine, boolean verbose) {
        machine.assist().filter(a -> a.total() > 0).ifPresent(a -> {
            StringJoiner j = new StringJoiner(", ");
            a.counts().forEach((m, n) -> j.add(m + " " + n));
            System.err.println("vmm: emulation assist completed " + a.total()
                    + " instructions KVM could not emulate (" + j + ")");
        });
        if (verbose) {
            for (var r : machine.vcpus().runners()) {
                var st = r.finalState();
                if (st != null) {
                    System.err.printf("vmm: vcpu%d stopped at RIP 0x%x in %s%n", r.id(), st.regs().rip(), st.sregs().cpuMode());
                }
            }
            long[] counts = machine.vcpus().exitCounts();
            StringJoiner j = new StringJoiner(", ");
            for (int i = 0; i < counts.length; i++) {
                if (counts[i] > 0) {
                    ExitReason r = ExitReason.of(i);
                    j.add((r == null ? "reason " + i : r.name().toLowerCase()) + " " + counts[i]);
                }
            }
            System.err.println("vmm: exits: " + j);
            for (var f : machine.virtio()) {
                System.err.printf("vmm: %s: status 0x%x, %d MSI-X interrupts, %d notifications by MMIO exit, %d ring "
                        + "violations%n", f.name(), f.status(), f.interruptsDelivered(), f.doorbellExits(), f.violations());
            }
        }
    }
}
