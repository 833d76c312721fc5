package dev.vmm.core.kvm;

import dev.vmm.core.arch.CpuidSetup;
import dev.vmm.core.sys.Mmap;
import dev.vmm.core.vcpu.ExitHandler;
import dev.vmm.core.vcpu.VcpuSet;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One real-mode vCPU with the in-kernel irqchip and 64 KiB of RAM at 0, running code placed at
 * {@link #CODE}; every exit to userspace is recorded as {@code "out 80=42"} or {@code "mmio 20000=5678"}.
 * Guests here halt rather than spin: this host's KVM emulates every instruction.
 */
final class TinyGuest implements AutoCloseable {
    static final long CODE = 0x1000;
    static final int RAM_SIZE = 0x10000;

    final Kvm kvm = Kvm.open();
    final VmFd vm = kvm.createVm(Kvm.VM_TYPE_DEFAULT);
    final List<String> exits = new CopyOnWriteArrayList<>();
    private final Mmap ram = Mmap.anonymous(RAM_SIZE, Mmap.PROT_READ | Mmap.PROT_WRITE, 0, "test RAM");
    private VcpuSet vcpus;

    TinyGuest() {
        vm.setTssAddr(0xfffbd000L);
        vm.createIrqchip();
        vm.setUserMemoryRegion(vm.allocateMemorySlot(), 0, 0, ram.segment());
    }

    /** Copies {@code hex} (spaces allowed) to guest-physical {@code gpa}. */
    TinyGuest put(long gpa, String hex) {
        byte[] b = HexFormat.of().parseHex(hex.replace(" ", ""));
        MemorySegment.copy(b, 0, ram.segment(), ValueLayout.JAVA_BYTE, gpa, b.length);
        return this;
    }

    /** Real-mode interrupt vector {@code vector} to {@code 0000:offset}. */
    TinyGuest vector(int vector, int offset) {
        ram.segment().set(ValueLayout.JAVA_SHORT_UNALIGNED, vector * 4L, (short) offset);
        ram.segment().set(ValueLayout.JAVA_SHORT_UNALIGNED, vector * 4L + 2, (short) 0);
        return this;
    }

    /** Creates vCPU 0 in real mode at {@link #CODE}, with the VMM's CPUID (x2APIC included), and runs it. */
    TinyGuest start() {
        VcpuFd vcpu = vm.createVcpu(0);
        vcpu.setCpuid(CpuidSetup.forVcpu(kvm.supportedCpuid(), 0, 1));
        Sregs s = vcpu.sregs();
        Segment cs = new Segment(0, 0xffff, 0, 0xb, true, 0, false, true, false, false, false, false);
        vcpu.setSregs(new Sregs(cs, s.ds(), s.es(), s.fs(), s.gs(), s.ss(), s.tr(), s.ldt(), s.gdt(),
                new DescriptorTable(0, 0x3ff), s.cr0(), s.cr2(), s.cr3(), s.cr4(), s.cr8(), s.efer(), s.apicBase(),
                s.interruptBitmap()));
        vcpu.setRegs(vcpu.regs().withRip(CODE)); // SP 0: the interrupt frame goes at the top of RAM
        vcpus = new VcpuSet(new ExitHandler() {
            @Override
            public void pioRead(int port, MemorySegment data) {
                data.fill((byte) 0);
            }

            @Override
            public void pioWrite(int port, MemorySegment data) {
                exits.add("out " + Integer.toHexString(port) + "=" + Integer.toHexString(value(data)));
            }

            @Override
            public void mmioRead(long address, MemorySegment data) {
                data.fill((byte) 0);
            }

            @Override
            public void mmioWrite(long address, MemorySegment data) {
                exits.add("mmio " + Long.toHexString(address) + "=" + Integer.toHexString(value(data)));
            }
        });
        vcpus.add(vcpu);
        vcpus.start();
        return this;
    }

    private static int value(MemorySegment data) {
        int v = 0;
        for (int i = (int) data.byteSize() - 1; i >= 0; i--) {
            v = v << 8 | data.get(ValueLayout.JAVA_BYTE, i) & 0xff;
        }
        return v;
    }

    /** Waits up to 20 s for an exit that {@code matches}; false if none came. */
    boolean await(Predicate<String> matches) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (exits.stream().anyMatch(matches)) {
                return true;
            }
            Thread.sleep(1);
        }
        return false;
    }

    boolean await(String exit) throws InterruptedException {
        return await(exit::equals);
    }

    @Override
    public void close() throws InterruptedException {
        if (vcpus != null) {
            vcpus.close();
        }
        vm.close();
        ram.close();
        kvm.close();
    }
}
