package dev.vmm.core.kvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vmm.core.sys.SysException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fd handles against the real /dev/kvm. */
class KvmHandlesTest {
    private Kvm kvm;
    private VmFd vm;
    private VcpuFd vcpu;

    @BeforeEach
    void open() {
        kvm = Kvm.open();
        vm = kvm.createVm(Kvm.VM_TYPE_DEFAULT);
        vm.createIrqchip();
        vcpu = vm.createVcpu(0);
    }

    @AfterEach
    void close() {
        vcpu.close();
        vm.close();
        kvm.close();
    }

    @Test
    void systemQueries() {
        assertThat(kvm.vcpuMmapSize()).isGreaterThanOrEqualTo((int) RunLayout.KVM_RUN.byteSize());
        assertThat(kvm.checkExtension(KvmCap.IRQCHIP)).isPositive();
        assertThat(kvm.supportedVmTypes() & 1).as("the default VM type").isEqualTo(1);
        assertThat(kvm.supportedCpuid()).extracting(CpuidEntry::function).contains(0, 1, 0x80000000);
    }

    @Test
    void memorySlotNumbersAreBoundedByTheCapability() {
        int limit = vm.memorySlotLimit();
        assertThat(limit).isEqualTo(vm.checkExtension(KvmCap.NR_MEMSLOTS)).isGreaterThan(1);
        for (int i = 0; i < limit; i++) {
            assertThat(vm.allocateMemorySlot()).isEqualTo(i);
        }
        assertThatThrownBy(vm::allocateMemorySlot).hasMessageContaining("all " + limit + " memory slots");
        vm.releaseMemorySlot(limit / 2);
        assertThat(vm.allocateMemorySlot()).isEqualTo(limit / 2);
    }

    @Test
    void resetStateIsTheArchitecturalOne() {
        Regs regs = vcpu.regs();
        Sregs sregs = vcpu.sregs();
        assertThat(regs.rip()).isEqualTo(0xfff0);
        assertThat(regs.rflags()).isEqualTo(Regs.RFLAGS_RESET);
        assertThat(sregs.cs().base()).isEqualTo(0xffff0000L);
        assertThat(sregs.cs().selector()).isEqualTo(0xf000);
        assertThat(sregs.cpuMode()).isEqualTo("real mode");
    }

    @Test
    void registersRoundTrip() {
        Regs regs = vcpu.regs().withRip(0x1234).withRdx(0xdeadbeefL).withRflags(0x202);
        vcpu.setRegs(regs);
        assertThat(vcpu.regs()).isEqualTo(regs);

        Sregs s = vcpu.sregs();
        Segment cs = new Segment(0, 0xffff, 0, 0xb, true, 0, false, true, false, false, false, false);
        Sregs changed = new Sregs(cs, s.ds(), s.es(), s.fs(), s.gs(), s.ss(), s.tr(), s.ldt(),
                new DescriptorTable(0x5000, 0x27), s.idt(), s.cr0(), s.cr2(), 0x1000, s.cr4(), s.cr8(), s.efer(),
                s.apicBase(), s.interruptBitmap());
        vcpu.setSregs(changed);
        Sregs back = vcpu.sregs();
        assertThat(back.cs().base()).isZero();
        assertThat(back.gdt()).isEqualTo(new DescriptorTable(0x5000, 0x27));
        assertThat(back.cr3()).isEqualTo(0x1000);

        Fpu fpu = vcpu.fpu();
        assertThat(fpu.fcw()).isEqualTo(Fpu.FCW_RESET);
        byte[] xmm = new byte[256];
        xmm[0] = 0x42;
        vcpu.setFpu(new Fpu(fpu.fpr(), 0x27f, 0, 0, 0, 0, 0, xmm, 0x1fa0));
        // MXCSR is not compared: this development host's KVM (no hardware virtualization) drops it in
        // KVM_SET_FPU/KVM_GET_FPU, as a C program shows too.
        assertThat(vcpu.fpu().fcw()).isEqualTo(0x27f);
        assertThat(vcpu.fpu().xmm()[0]).isEqualTo((byte) 0x42);
    }

    @Test
    void msrsXcrsAndMpState() throws Exception {
        int sysenterCs = 0x174;
        vcpu.setMsrs(Map.of(sysenterCs, 0x10L));
        assertThat(vcpu.msrs(sysenterCs)).containsEntry(sysenterCs, 0x10L);
        assertThat(vcpu.mpState()).isEqualTo(VcpuFd.MP_STATE_RUNNABLE);
        // KVM_GET_XCRS lists XCR0 only where the host CPU has XSAVE (boot_cpu_has, not the guest's CPUID).
        boolean xsave = Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
                .anyMatch(l -> l.startsWith("flags") && (" " + l + " ").contains(" xsave "));
        assumeTrue(xsave, "this host CPU has no XSAVE (no 'xsave' in /proc/cpuinfo), so KVM reports no XCR0");
        assertThat(vcpu.xcrs()).containsKey(0);
        vcpu.setXcrs(Map.of(0, 1L));
        assertThat(vcpu.xcrs()).containsEntry(0, 1L);
        vcpu.setCpuid(kvm.supportedCpuid());
    }

    @Test
    void aRefusedMsrIsNamed() throws Exception {
        Path ignore = Path.of("/sys/module/kvm/parameters/ignore_msrs");
        assumeFalse(Files.isReadable(ignore) && Files.readString(ignore).strip().equals("Y"),
                "kvm.ignore_msrs=Y on this host: KVM accepts writes to any MSR, so none is refused");
        assertThatThrownBy(() -> vcpu.setMsrs(Map.of(0x12345678, 1L)))
                .isInstanceOf(SysException.class).hasMessageContaining("0x12345678");
    }

    @Test
    void failuresNameTheIoctlAndErrno() {
        assertThatThrownBy(() -> vm.createVcpu(0))
                .isInstanceOf(SysException.class)
                .hasMessageStartingWith("KVM_CREATE_VCPU: EEXIST");
    }

    @Test
    void encryptedRegionsAreRefusedOnAVmThatIsNotSev() {
        // KVM answers ENOTTY both without SEV support (Intel, this host) and for a non-SEV VM on AMD.
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ram = arena.allocate(4096, 4096);
            assertThatThrownBy(() -> vm.registerEncryptedRegion(ram))
                    .isInstanceOf(SysException.class)
                    .hasMessageStartingWith("KVM_MEMORY_ENCRYPT_REG_REGION: ENOTTY");
            assertThatThrownBy(() -> vm.unregisterEncryptedRegion(ram))
                    .isInstanceOf(SysException.class)
                    .hasMessageStartingWith("KVM_MEMORY_ENCRYPT_UNREG_REGION: ENOTTY");
        }
    }

    @Test
    void aFileThatIsNotKvmIsReportedAsSuch(@TempDir Path dir) throws Exception {
        Path notKvm = Files.writeString(dir.resolve("kvm"), "");
        assertThatThrownBy(() -> Kvm.open(notKvm.toString()))
                .isInstanceOf(KvmUnavailableException.class).hasMessageContaining("not a KVM device");
        assertThatThrownBy(() -> Kvm.open(dir.resolve("missing").toString()))
                .isInstanceOf(KvmUnavailableException.class).hasMessageContaining("ENOENT");
    }
}
