package dev.vmm.firmware.boot;

import dev.vmm.core.arch.CpuidSetup;
import dev.vmm.core.kvm.CpuidEntry;
import dev.vmm.core.kvm.DescriptorTable;
import dev.vmm.core.kvm.Fpu;
import dev.vmm.core.kvm.Kvm;
import dev.vmm.core.kvm.Regs;
import dev.vmm.core.kvm.Segment;
import dev.vmm.core.kvm.Sregs;
import dev.vmm.core.kvm.VcpuFd;
import dev.vmm.core.kvm.VmFd;
import dev.vmm.core.vcpu.ExitHandler;
import dev.vmm.firmware.linux.GuestBlob;
import dev.vmm.firmware.linux.LinuxBootPlan;
import dev.vmm.memory.GuestAddress;
import dev.vmm.memory.GuestMemory;
import dev.vmm.memory.GuestMemoryBuilder;
import dev.vmm.memory.MemorySlots;
import dev.vmm.memory.RamLayout;
import java.util.List;

/**
 * A Linux kernel booted without firmware (Firecracker's and Cloud Hypervisor's direct boot): the
 * {@link LinuxBootPlan}'s bytes written to RAM, the BSP started at the kernel's entry in the state its
 * protocol asks for, the APs left to the kernel's INIT-SIPI-SIPI (KVM's in-kernel LAPIC holds them).
 */
public final class LinuxBoot implements BootMethod {
    /** Segment types: execute/read code, accessed; read/write data, accessed; busy TSS. */
    private static final int TYPE_CODE = 0xb;
    private static final int TYPE_DATA = 0x3;
    private static final int TYPE_BUSY_TSS = 0xb;
    private static final int FLAT_LIMIT = 0xffff_ffff;
    private static final int TSS_LIMIT = 0x67;
    private static final long CR0_ET = 1L << 4;
    private static final long BOOT_STACK = 0x8ff0;

    private final LinuxBootPlan plan;
    private final List<CpuidEntry> cpuid;

    /** @param cpuid what the vCPUs are offered (KVM_GET_SUPPORTED_CPUID, or a model cut from it) */
    public LinuxBoot(LinuxBootPlan plan, List<CpuidEntry> cpuid) {
        this.plan = plan;
        this.cpuid = List.copyOf(cpuid);
    }

    public LinuxBootPlan plan() {
        return plan;
    }

    @Override
    public int vmType() {
        return Kvm.VM_TYPE_DEFAULT;
    }

    @Override
    public void addRegions(GuestMemoryBuilder memory, RamLayout ram) {
        // No firmware: RAM is all the kernel needs.
    }

    @Override
    public List<AutoCloseable> registerMemory(VmFd vm, GuestMemory memory) {
        MemorySlots.register(vm, memory);
        return List.of();
    }

    @Override
    public ExitHandler exitHandler(ExitHandler platform) {
        return platform;
    }

    /** Every blob through GuestMemory, so that a plan that ran past RAM fails there, naming the address. */
    @Override
    public void load(GuestMemory memory) {
        for (GuestBlob b : plan.blobs()) {
            GuestAddress at = GuestAddress.of(b.address());
            if (b.length() > 0) {
                b.copyTo(memory.writableSlice(at, b.length()));
            }
            if (b.size() > b.length()) {
                memory.writableSlice(at.plus(b.length()), b.size() - b.length()).fill((byte) 0);
            }
        }
    }

    @Override
    public void setUpVcpu(VcpuFd vcpu, int index, int cpus) {
        vcpu.setCpuid(CpuidSetup.forVcpu(cpuid, index, cpus));
        if (index != 0) {
            return;     // an AP waits for the kernel's INIT-SIPI-SIPI
        }
        Sregs reset = vcpu.sregs();
        switch (plan.entry()) {
            case LinuxBootPlan.Entry.LongMode m -> {
                Segment code = new Segment(0, FLAT_LIMIT, LinuxBootPlan.BOOT_CS, TYPE_CODE, true, 0, false, true, true,
                        true, false, false);
                vcpu.setSregs(sregs(reset, code, m.gdt(), Sregs.CR0_PE | CR0_ET | Sregs.CR0_PG, m.cr3(), Sregs.CR4_PAE,
                        Sregs.EFER_LME | Sregs.EFER_LMA));
                vcpu.setRegs(regs(m.rip(), 0, m.rsi()));
            }
            case LinuxBootPlan.Entry.Pvh p -> {
                Segment code = new Segment(0, FLAT_LIMIT, LinuxBootPlan.BOOT_CS, TYPE_CODE, true, 0, true, true, false,
                        true, false, false);
                vcpu.setSregs(sregs(reset, code, p.gdt(), Sregs.CR0_PE | CR0_ET, 0, 0, 0));
                vcpu.setRegs(regs(p.rip(), p.rbx(), 0));
            }
        }
        vcpu.setFpu(Fpu.reset());
    }

    @Override
    public void finish() {
        // Nothing: the kernel runs as it is.
    }

    private static Sregs sregs(Sregs reset, Segment code, long gdt, long cr0, long cr3, long cr4, long efer) {
        Segment data = new Segment(0, FLAT_LIMIT, LinuxBootPlan.BOOT_DS, TYPE_DATA, true, 0, true, true, false, true,
                false, false);
        Segment tss = new Segment(0, TSS_LIMIT, LinuxBootPlan.BOOT_TSS, TYPE_BUSY_TSS, true, 0, false, false, false,
                false, false, false);
        return new Sregs(code, data, data, data, data, data, tss, reset.ldt(), new DescriptorTable(gdt, 5 * 8 - 1),
                new DescriptorTable(0, 0), cr0, 0, cr3, cr4, 0, efer, reset.apicBase(), reset.interruptBitmap());
    }

    private static Regs regs(long rip, long rbx, long rsi) {
        return new Regs(0, rbx, 0, 0, rsi, 0, BOOT_STACK, 0, 0, 0, 0, 0, 0, 0, 0, 0, rip, Regs.RFLAGS_RESET);
    }
}
