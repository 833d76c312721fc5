package dev.vmm.sev.vmsa;

import dev.vmm.core.kvm.Fpu;
import dev.vmm.core.kvm.Regs;
import dev.vmm.core.kvm.Sregs;

/**
 * The register state of one vCPU at launch, as KVM holds it when it builds the VMSA: what the VMM set
 * with KVM_SET_REGS/SREGS/FPU/XCRS/MSRS, plus KVM's defaults for what it did not set (PAT, DR6, DR7).
 */
public record LaunchVcpuState(int index, Regs regs, Sregs sregs, Fpu fpu, long xcr0, long pat, long dr6, long dr7) {
    /** KVM's and the architecture's reset values. */
    public static final long PAT_RESET = 0x0007040600070406L;
    public static final long DR6_RESET = 0xffff0ff0L;
    public static final long DR7_RESET = 0x400L;
    public static final long XCR0_RESET = 0x1;
}
