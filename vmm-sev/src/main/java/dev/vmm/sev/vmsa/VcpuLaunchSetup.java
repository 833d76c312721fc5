package dev.vmm.sev.vmsa;

import dev.vmm.core.kvm.Sregs;
import dev.vmm.core.kvm.VcpuFd;
import java.util.Map;

/**
 * Gives a vCPU its launch state through KVM: the registers the VMSA will be built from. The APIC base
 * and pending interrupts stay KVM's; DR6/DR7 keep KVM's reset values, which are the state's.
 */
public final class VcpuLaunchSetup {
    static final int MSR_IA32_CR_PAT = 0x277;

    private VcpuLaunchSetup() {}

    public static void apply(VcpuFd vcpu, LaunchVcpuState s) {
        Sregs current = vcpu.sregs();
        Sregs w = s.sregs();
        vcpu.setSregs(new Sregs(w.cs(), w.ds(), w.es(), w.fs(), w.gs(), w.ss(), w.tr(), w.ldt(), w.gdt(), w.idt(),
                w.cr0(), w.cr2(), w.cr3(), w.cr4(), w.cr8(), w.efer(), current.apicBase(), current.interruptBitmap()));
        vcpu.setRegs(s.regs());
        vcpu.setFpu(s.fpu());
        vcpu.setXcrs(Map.of(0, s.xcr0()));
        vcpu.setMsrs(Map.of(MSR_IA32_CR_PAT, s.pat()));
    }
}
