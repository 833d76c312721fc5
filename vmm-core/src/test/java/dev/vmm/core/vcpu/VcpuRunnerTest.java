package dev.vmm.core.vcpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmm.core.arch.CpuVendor;
import dev.vmm.core.kvm.DescriptorTable;
import dev.vmm.core.kvm.Kvm;
import dev.vmm.core.kvm.Segment;
import dev.vmm.core.kvm.Sregs;
import dev.vmm.core.kvm.VcpuFd;
import dev.vmm.core.kvm.VmFd;
import dev.vmm.core.sys.EventFd;
import dev.vmm.core.sys.Mmap;
import dev.vmm.core.sys.SysException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The vCPU thread state machine on real KVM, with a few bytes of real-mode code as the guest. */
class VcpuRunnerTest {
    private static final long CODE = 0x1000;
    private Kvm kvm;
    private VmFd vm;
    private Mmap ram;
    private final List<String> outs = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() {
        kvm = Kvm.open();
        vm = kvm.createVm(Kvm.VM_TYPE_DEFAULT);
        vm.setTssAddr(0xfffbd000L);
        vm.createIrqchip();
        ram = Mmap.anonymous(0x10000, Mmap.PROT_READ | Mmap.PROT_WRITE, 0, "test RAM");
        vm.setUserMemoryRegion(0, 0, 0, ram.segment());
    }

    @AfterEach
    void tearDown() {
        vm.close();
        ram.close();
        kvm.close();
    }

    /** A vCPU in real mode with CS base 0, about to run {@code hex} at {@link #CODE}. */
    private VcpuFd vcpuAt(String hex) {
        byte[] code = java.util.HexFormat.of().parseHex(hex.replace(" ", ""));
        MemorySegment.copy(code, 0, ram.segment(), ValueLayout.JAVA_BYTE, CODE, code.length);
        VcpuFd vcpu = vm.createVcpu(0);
        Sregs s = vcpu.sregs();
        Segment cs = new Segment(0, 0xffff, 0, 0xb, true, 0, false, true, false, false, false, false);
        vcpu.setSregs(new Sregs(cs, s.ds(), s.es(), s.fs(), s.gs(), s.ss(), s.tr(), s.ldt(), s.gdt(),
                new DescriptorTable(0, 0x3ff), s.cr0(), s.cr2(), s.cr3(), s.cr4(), s.cr8(), s.efer(), s.apicBase(),
                s.interruptBitmap()));
        vcpu.setRegs(vcpu.regs().withRip(CODE));
        return vcpu;
    }

    private VcpuSet set(VcpuFd vcpu) {
        VcpuSet set = new VcpuSet(new ExitHandler() {
            @Override
            public void pioRead(int port, MemorySegment data) {
                data.fill((byte) 0);
            }

            @Override
            public void pioWrite(int port, MemorySegment data) {
                outs.add(Integer.toHexString(port) + "=" + Integer.toHexString(data.get(ValueLayout.JAVA_BYTE, 0)));
                if (port == 0x501) {
                    throw new IllegalStateException("device failure");
                }
            }

            @Override
            public void mmioRead(long address, MemorySegment data) {}

            @Override
            public void mmioWrite(long address, MemorySegment data) {}
        });
        set.add(vcpu);
        return set;
    }

    @Test
    void portWritesReachTheHandlerAndAFinishKicksASpinningGuest() throws Exception {
        VcpuSet set = set(vcpuAt("b0 42" /* mov al, 0x42 */ + "e6 80" /* out 0x80, al */ + "eb fe" /* jmp $ */));
        set.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (outs.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertThat(outs).containsExactly("80=42");
        VcpuRunner runner = set.runners().getFirst();
        assertThat(runner.state()).isEqualTo(VcpuRunner.State.RUNNING);

        set.requestStop(new StopReason.HostRequest("test"));
        assertThat(set.awaitStop()).isEqualTo(new StopReason.HostRequest("test"));
        assertThat(runner.state()).isEqualTo(VcpuRunner.State.FINISHED);
        set.close();
    }

    @Test
    void anIoeventfdTakesAPortWriteWithoutAUserspaceExit() throws Exception {
        try (EventFd kick = new EventFd(EventFd.EFD_NONBLOCK)) {
            vm.ioeventfd(kick, 0x80, 1, true, false);
            VcpuSet set = set(vcpuAt("e6 80" /* out 0x80, al */ + "e6 81" /* out 0x81, al */ + "eb fe"));
            set.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (outs.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            set.close();
            assertThat(outs).as("exits to userspace").containsExactly("81=0");
            assertThat(kick.read()).as("eventfd count").isEqualTo(1);
            vm.ioeventfd(kick, 0x80, 1, true, true);
        }
    }

    @Test
    void irqfdsAreAssignedOnceAndDeassigned() {
        try (EventFd line = new EventFd(EventFd.EFD_NONBLOCK)) {
            vm.irqfd(line, 5, false);
            line.write(1);
            assertThatThrownBy(() -> vm.irqfd(line, 5, false))
                    .isInstanceOf(SysException.class).hasMessageStartingWith("KVM_IRQFD: EBUSY");
            vm.irqfd(line, 5, true);
            vm.irqfd(line, 5, false);
            vm.irqfd(line, 5, true);
        }
    }

    @Test
    void pauseAndResume() throws Exception {
        VcpuSet set = set(vcpuAt("eb fe"));
        set.start();
        VcpuRunner runner = set.runners().getFirst();
        runner.pause();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (runner.state() != VcpuRunner.State.PAUSED && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertThat(runner.state()).isEqualTo(VcpuRunner.State.PAUSED);
        runner.resume();
        while (runner.state() != VcpuRunner.State.RUNNING && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertThat(runner.state()).isEqualTo(VcpuRunner.State.RUNNING);
        set.close();
        assertThat(runner.state()).isEqualTo(VcpuRunner.State.FINISHED);
    }

    @Test
    void aSnapshotShowsWhereASpinningGuestIsRunningOrPaused() throws Exception {
        VcpuSet set = set(vcpuAt("b0 07" /* mov al, 7 */ + "e6 80" /* out 0x80, al */ + "eb fe" /* jmp $ */));
        set.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (outs.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        VcpuRunner runner = set.runners().getFirst();
        VcpuState running = runner.snapshot().get(10, TimeUnit.SECONDS);
        assertThat(running.regs().rip()).isEqualTo(CODE + 4);
        assertThat(running.regs().rax() & 0xff).isEqualTo(7);
        runner.pause();
        assertThat(runner.snapshot().get(10, TimeUnit.SECONDS).regs().rip()).isEqualTo(CODE + 4);
        set.close();
        assertThat(runner.snapshot().get(10, TimeUnit.SECONDS).regs().rip()).as("after finishing").isEqualTo(CODE + 4);
    }

    @Test
    void aDeviceThatThrowsStopsTheVmWithTheCause() throws Exception {
        VcpuSet set = set(vcpuAt("b0 01" /* mov al, 1 */ + "ba 01 05" /* mov dx, 0x501 */ + "ee" /* out dx, al */
                + "eb fe"));
        set.start();
        StopReason reason = set.awaitStop();
        assertThat(reason).isInstanceOfSatisfying(StopReason.VmmFailure.class, f -> {
            assertThat(f.where()).isEqualTo("vcpu0");
            assertThat(f.cause()).hasMessage("device failure");
        });
        set.close();
    }

    @Test
    void aTripleFaultIsReportedWithRegisters() throws Exception {
        // Zero-limit IDT and GDT (the bytes at 0x2000 are zero), enter protected mode, far jump to
        // selector 8: #GP, which cannot be delivered, nor can the #DF: shutdown.
        VcpuSet set = set(vcpuAt("0f 01 1e 00 20" /* lidt [0x2000] */ + "0f 01 16 00 20" /* lgdt [0x2000] */
                + "0f 20 c0" /* mov eax, cr0 */ + "0c 01" /* or al, 1 */ + "0f 22 c0" /* mov cr0, eax */
                + "ea 00 00 08 00" /* jmp 0x08:0 */));
        set.start();
        StopReason reason = set.awaitStop();
        assertThat(reason).isInstanceOfSatisfying(StopReason.GuestFault.class, f -> {
            assertThat(f.event()).isEqualTo("triple fault (KVM_EXIT_SHUTDOWN)");
            assertThat(f.state()).isNotNull();
            assertThat(f.details()).contains("RIP=").contains("CR0=");
            if (f.state().isResetState()) {
                // SVM INITs the vCPU at a shutdown: the report says these are not the guest's registers.
                assertThat(CpuVendor.isAmdLike(CpuVendor.of(kvm.supportedCpuid()))).isTrue();
                assertThat(f.detail()).startsWith(VcpuRunner.SHUTDOWN_REINIT);
            } else {
                assertThat(f.summary()).contains("vcpu0").contains("protected mode");
                assertThat(f.detail()).doesNotContain(VcpuRunner.SHUTDOWN_REINIT);
            }
        });
        set.close();
    }
}
