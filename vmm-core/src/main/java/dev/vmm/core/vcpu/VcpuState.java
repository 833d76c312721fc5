package dev.vmm.core.vcpu;

import dev.vmm.core.kvm.Regs;
import dev.vmm.core.kvm.Sregs;

/** Registers captured for a report. */
public record VcpuState(Regs regs, Sregs sregs) {
    /** The reset vector: CS 0xF000 with base 0xFFFF0000 and IP 0xFFF0, in real mode (SDM vol. 3 §10.1.4). */
    private static final long RESET_RIP = 0xfff0;
    private static final int RESET_CS = 0xf000;
    private static final long RESET_CS_BASE = 0xffff0000L;

    /** Whether these are the registers of a vCPU just reset or INITed, not of a guest that ran. */
    public boolean isResetState() {
        return regs.rip() == RESET_RIP && sregs.cs().selector() == RESET_CS && sregs.cs().base() == RESET_CS_BASE
                && (sregs.cr0() & Sregs.CR0_PE) == 0;
    }

    @Override
    public String toString() {
        return regs + "\n" + sregs;
    }
}
