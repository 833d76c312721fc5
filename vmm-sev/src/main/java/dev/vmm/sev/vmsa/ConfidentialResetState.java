package dev.vmm.sev.vmsa;

import dev.vmm.core.kvm.DescriptorTable;
import dev.vmm.core.kvm.Fpu;
import dev.vmm.core.kvm.Regs;
import dev.vmm.core.kvm.Segment;
import dev.vmm.core.kvm.Sregs;

/**
 * The reset state QEMU gives the vCPUs of a confidential guest (x86_cpu_reset, then for SEV-ES/SNP APs
 * the reset vector from the firmware's SEV-ES reset block), so that the VMSAs, and so the launch
 * digest, are the ones verifiers such as sev-snp-measure compute for QEMU.
 */
public final class ConfidentialResetState {
    /** The BSP starts at the architectural reset vector, 0xFFFFFFF0. */
    public static final long BSP_RESET_EIP = 0xfffffff0L;
    private static final long CR0_RESET = 0x60000010L;       // CD | NW | ET
    private static final int TYPE_CODE_ACCESSED = 0xb;       // execute/read, accessed
    private static final int TYPE_DATA_ACCESSED = 0x3;       // read/write, accessed
    private static final int TYPE_LDT = 0x2;
    private static final int TYPE_TSS_BUSY = 0xb;

    private ConfidentialResetState() {}

    /**
     * vCPU {@code index}: the BSP (index 0) at 0xFFFFFFF0, APs at {@code apResetEip}; RDX holds the CPU
     * signature, as after a real reset.
     */
    public static LaunchVcpuState forVcpu(int index, int cpuSignature, long apResetEip) {
        long eip = index == 0 ? BSP_RESET_EIP : apResetEip;
        Segment cs = new Segment(eip & 0xffff0000L, 0xffff, 0xf000, TYPE_CODE_ACCESSED, true, 0, false, true, false,
                false, false, false);
        Segment data = new Segment(0, 0xffff, 0, TYPE_DATA_ACCESSED, true, 0, false, true, false, false, false, false);
        Segment ldt = new Segment(0, 0xffff, 0, TYPE_LDT, true, 0, false, false, false, false, false, false);
        Segment tr = new Segment(0, 0xffff, 0, TYPE_TSS_BUSY, true, 0, false, false, false, false, false, false);
        DescriptorTable table = new DescriptorTable(0, 0xffff);
        Sregs sregs = new Sregs(cs, data, data, data, data, data, tr, ldt, table, table, CR0_RESET, 0, 0, 0, 0, 0, 0,
                new long[4]);
        Regs regs = new Regs(0, 0, 0, cpuSignature & 0xffffffffL, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, eip & 0xffff,
                Regs.RFLAGS_RESET);
        return new LaunchVcpuState(index, regs, sregs, Fpu.reset(), LaunchVcpuState.XCR0_RESET,
                LaunchVcpuState.PAT_RESET, LaunchVcpuState.DR6_RESET, LaunchVcpuState.DR7_RESET);
    }
}
