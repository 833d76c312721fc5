package dev.vmm.core.vcpu;

import dev.vmm.core.kvm.Regs;
import dev.vmm.core.kvm.Sregs;

/** Registers captured for a report. */
public record VcpuState(Regs regs, Sregs sregs) {
    @Override
    public String toString() {
        return regs + "\n" + sregs;
    }
}
