package dev.vmm.core.assist;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmm.core.kvm.DescriptorTable;
import dev.vmm.core.kvm.Kvm;
import dev.vmm.core.kvm.Regs;
import dev.vmm.core.kvm.Segment;
import dev.vmm.core.kvm.Sregs;
import dev.vmm.core.kvm.VcpuFd;
import dev.vmm.core.kvm.VmFd;
import dev.vmm.core.sys.Mmap;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each assisted instruction's architectural effect on a real vCPU: registers and FPU state through
 * KVM, memory through 4-level page tables in guest RAM. The assist is called directly with the bytes
 * KVM would report, at the vCPU's RIP.
 */
class EmulationAssistTest {
    private static final long CODE = 0x3000;
    private static final long DATA = 0x5000;
    private Kvm kvm;
    private VmFd vm;
    private Mmap ram;
    private VcpuFd vcpu;
    private EmulationAssist assist;

    @BeforeEach
    void longModeVcpu() {
        kvm = Kvm.open();
        vm = kvm.createVm(Kvm.VM_TYPE_DEFAULT);
        vm.setTssAddr(0xfffbd000L);
        ram = Mmap.anonymous(0x100000, Mmap.PROT_READ | Mmap.PROT_WRITE, 0, "test RAM");
        vm.setUserMemoryRegion(0, 0, 0, ram.segment());
        MemorySegment m = ram.segment();
        // PML4 at 0x1000 -> PDPT at 0x2000 -> 1 GiB page at 0: identity map.
        m.set(ValueLayout.JAVA_LONG, 0x1000, 0x2000 | 3);
        m.set(ValueLayout.JAVA_LONG, 0x2000, 0x83);
        vcpu = vm.createVcpu(0);
        Sregs s = vcpu.sregs();
        Segment code = new Segment(0, 0xffffffff, 0x8, 0xb, true, 0, false, true, true, true, false, false);
        Segment data = new Segment(0, 0xffffffff, 0x10, 0x3, true, 0, true, true, false, true, false, false);
        vcpu.setSregs(new Sregs(code, data, data, data, data, data, s.tr(), s.ldt(), new DescriptorTable(0, 0),
                new DescriptorTable(0, 0), 0x80010033L /* PE MP ET NE WP PG */, 0, 0x1000, 0x620 /* PAE OSFXSR OSXMMEXCPT */,
                0, 0x500 /* LME LMA */, s.apicBase(), s.interruptBitmap()));
        vcpu.setRegs(new Regs(0, 0, 0, 0, 0, DATA, 0x8000, 0, 0, 0, 0, 0, 0, 0, 0, 0, CODE, 2));
        assist = new EmulationAssist(new PhysicalMemory() {
            @Override
            public void read(long gpa, byte[] dst, int offset, int length) {
                MemorySegment.copy(ram.segment(), ValueLayout.JAVA_BYTE, gpa, dst, offset, length);
            }

            @Override
            public void write(long gpa, byte[] src, int offset, int length) {
                MemorySegment.copy(src, offset, ram.segment(), ValueLayout.JAVA_BYTE, gpa, length);
            }
        });
    }

    @AfterEach
    void close() {
        vcpu.close();
        vm.close();
        ram.close();
        kvm.close();
    }

    private EmulationAssist.Outcome run(String hex) {
        return assist.emulate(vcpu, HexFormat.of().parseHex(hex.replace(" ", "")));
    }

    private ByteBuffer fx() {
        return ByteBuffer.wrap(vcpu.xsave()).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Test
    void fwaitFninitFldcwAdvanceRipAndSetTheControlWord() {
        ram.segment().set(ValueLayout.JAVA_SHORT, CODE + 6 + 0x100, (short) 0x027f);
        assertThat(run("9b")).isEqualTo(new EmulationAssist.Outcome.Emulated("fwait"));
        assertThat(vcpu.regs().rip()).isEqualTo(CODE + 1);
        byte[] dirty = vcpu.xsave();
        ByteBuffer.wrap(dirty).order(ByteOrder.LITTLE_ENDIAN).putShort(0, (short) 0x1234).putShort(2, (short) 0x3800).put(4, (byte) 0xff)
                .putLong(512, 3);
        vcpu.setXsave(dirty);
        vcpu.setRegs(vcpu.regs().withRip(CODE));
        assertThat(run("db e3")).isEqualTo(new EmulationAssist.Outcome.Emulated("fninit"));
        assertThat(fx().getShort(0)).isEqualTo((short) 0x037f);
        assertThat(fx().getShort(2)).as("FSW").isZero();
        assertThat(fx().get(4)).as("all registers empty").isZero();
        vcpu.setRegs(vcpu.regs().withRip(CODE));
        // fldcw [rip + 0x100]: RIP-relative to the next instruction (CODE + 6)
        assertThat(run("d9 2d 00 01 00 00")).isEqualTo(new EmulationAssist.Outcome.Emulated("fldcw"));
        assertThat(fx().getShort(0)).isEqualTo((short) 0x027f);
        assertThat(vcpu.regs().rip()).isEqualTo(CODE + 6);
    }

    @Test
    void storesOfControlAndStatusWords() {
        assertThat(run("d9 3f")).isEqualTo(new EmulationAssist.Outcome.Emulated("fnstcw"));    // fnstcw [rdi]
        assertThat(ram.segment().get(ValueLayout.JAVA_SHORT, DATA)).isEqualTo(fx().getShort(0));
        vcpu.setRegs(vcpu.regs().withRip(CODE));
        byte[] x = vcpu.xsave();
        ByteBuffer.wrap(x).order(ByteOrder.LITTLE_ENDIAN).putShort(2, (short) 0x3801).putLong(512, 3);
        vcpu.setXsave(x);
        assertThat(run("df e0")).isEqualTo(new EmulationAssist.Outcome.Emulated("fnstsw ax"));
        assertThat(vcpu.regs().rax() & 0xffff).isEqualTo(0x3801);
    }

    @Test
    void mxcsrLoadAndStoreAndTheReservedBitCheck() {
        ram.segment().set(ValueLayout.JAVA_INT, DATA, 0x1fa0);
        assertThat(run("0f ae 17")).isEqualTo(new EmulationAssist.Outcome.Emulated("ldmxcsr"));     // [rdi]
        assertThat(fx().getInt(24)).isEqualTo(0x1fa0);
        vcpu.setRegs(vcpu.regs().withRip(CODE));
        assertThat(run("0f ae 5f 10")).isEqualTo(new EmulationAssist.Outcome.Emulated("stmxcsr"));  // [rdi + 0x10]
        assertThat(ram.segment().get(ValueLayout.JAVA_INT, DATA + 0x10)).isEqualTo(0x1fa0);
        vcpu.setRegs(vcpu.regs().withRip(CODE));
        ram.segment().set(ValueLayout.JAVA_INT, DATA, 0x10000);
        assertThat(run("0f ae 17")).isInstanceOfSatisfying(EmulationAssist.Outcome.Refused.class,
                r -> assertThat(r.reason()).contains("reserved bits (#GP)"));
        assertThat(vcpu.regs().rip()).as("a refused instruction leaves RIP").isEqualTo(CODE);
    }

    @Test
    void fxsaveThenFxrstorRoundTripsTheState() {
        byte[] x = vcpu.xsave();
        ByteBuffer b = ByteBuffer.wrap(x).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort(0, (short) 0x027f).putInt(24, 0x1f80).put(32, (byte) 0x11).put(160 + 16 * 15, (byte) 0x77).putLong(512, 3);
        vcpu.setXsave(x);
        assertThat(run("0f ae 07")).isEqualTo(new EmulationAssist.Outcome.Emulated("fxsave"));      // [rdi]
        ByteBuffer saved = ByteBuffer.wrap(ram.segment().asSlice(DATA, 512).toArray(ValueLayout.JAVA_BYTE)).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(saved.getShort(0)).isEqualTo((short) 0x027f);
        assertThat(saved.getInt(24)).isEqualTo(0x1f80);
        assertThat(saved.get(32)).isEqualTo((byte) 0x11);
        assertThat(saved.get(160 + 16 * 15)).as("XMM15 in 64-bit mode").isEqualTo((byte) 0x77);
        // Change the image in memory and restore it.
        ram.segment().set(ValueLayout.JAVA_SHORT, DATA, (short) 0x037f);
        ram.segment().set(ValueLayout.JAVA_BYTE, DATA + 160, (byte) 0x42);
        vcpu.setRegs(vcpu.regs().withRip(CODE));
        assertThat(run("0f ae 0f")).isEqualTo(new EmulationAssist.Outcome.Emulated("fxrstor"));     // [rdi]
        assertThat(fx().getShort(0)).isEqualTo((short) 0x037f);
        assertThat(fx().get(160)).isEqualTo((byte) 0x42);
        vcpu.setRegs(vcpu.regs().withRdx(0).withRip(CODE));
        Regs r = vcpu.regs();
        vcpu.setRegs(new Regs(r.rax(), r.rbx(), r.rcx(), r.rdx(), r.rsi(), DATA + 8, r.rsp(), r.rbp(), 0, 0, 0, 0, 0, 0, 0, 0,
                CODE, r.rflags()));
        assertThat(run("0f ae 07")).isInstanceOfSatisfying(EmulationAssist.Outcome.Refused.class,
                o -> assertThat(o.reason()).contains("not 16-byte aligned (#GP)"));
    }

    @Test
    void sseMovesThroughMemoryAndRegisters() {
        for (int i = 0; i < 16; i++) {
            ram.segment().set(ValueLayout.JAVA_BYTE, DATA + 3 + i, (byte) (i + 1));
        }
        Regs r = vcpu.regs();
        vcpu.setRegs(new Regs(r.rax(), r.rbx(), r.rcx(), r.rdx(), r.rsi(), DATA + 3, r.rsp(), r.rbp(), 0, 0, 0, 0, 0, 0,
                0, 0, CODE, r.rflags()));
        assertThat(run("f3 0f 6f 07")).isEqualTo(new EmulationAssist.Outcome.Emulated("movdqu"));   // xmm0 <- [rdi]
        assertThat(fx().get(160)).isEqualTo((byte) 1);
        assertThat(fx().get(175)).isEqualTo((byte) 16);
        vcpu.setRegs(vcpu.regs().withRip(CODE));
        assertThat(run("0f 28 c8")).isEqualTo(new EmulationAssist.Outcome.Emulated("movaps"));      // xmm1 <- xmm0
        assertThat(fx().get(176)).isEqualTo((byte) 1);
        vcpu.setRegs(vcpu.regs().withRip(CODE));
        assertThat(run("66 0f 7f 0f")).isInstanceOfSatisfying(EmulationAssist.Outcome.Refused.class,    // movdqa to DATA+3
                o -> assertThat(o.reason()).contains("movdqa").contains("aligned"));
    }

    @Test
    void anythingElseIsRefusedWithTheBytes() {
        assertThat(run("d9 fe")).isInstanceOfSatisfying(EmulationAssist.Outcome.Refused.class,       // fsin
                o -> assertThat(o.reason()).contains("not in the assist's set").contains("d9 fe"));
        assertThat(run("d8 c1")).isInstanceOfSatisfying(EmulationAssist.Outcome.Refused.class,       // fadd st, st1
                o -> assertThat(o.reason()).contains("stack underflow").contains("d8 c1"));
        assertThat(assist.counts()).isEmpty();
        run("9b");
        assertThat(assist.counts()).containsEntry("fwait", 1L);
    }

    /** Runs each instruction at CODE in turn, as KVM would hand them over one by one; returns the mnemonics. */
    private java.util.List<String> sequence(String... instructions) {
        java.util.List<String> names = new java.util.ArrayList<>();
        for (String hex : instructions) {
            vcpu.setRegs(vcpu.regs().withRip(CODE));
            EmulationAssist.Outcome o = run(hex);
            assertThat(o).as(hex).isInstanceOf(EmulationAssist.Outcome.Emulated.class);
            names.add(((EmulationAssist.Outcome.Emulated) o).mnemonic());
        }
        return names;
    }

    @Test
    void compiledUnsignedToDoubleConversionOnTheRegisterStack() {
        // What gcc emits for (double) of a uint64_t without SSE: fildll, add 2^64 if it was negative, fstpl.
        MemorySegment m = ram.segment();
        m.set(ValueLayout.JAVA_LONG, DATA, -1L);                                        // 2^64 - 1
        m.set(ValueLayout.JAVA_INT, DATA + 8, Float.floatToRawIntBits(0x1p64f));
        assertThat(sequence("db e3", "df 2f", "d8 47 08", "dd 5f 10"))
                .containsExactly("fninit", "fildll", "fadds", "fstpl");
        assertThat(Double.longBitsToDouble(m.get(ValueLayout.JAVA_LONG, DATA + 0x10))).isEqualTo(0x1p64);
        assertThat(fx().get(4)).as("tag byte: stack empty again").isZero();
        assertThat(fx().getShort(2) & 0x3800).as("TOP back to 0").isZero();
        assertThat(fx().getShort(2) & 0x20).as("PE: 2^64 - 1 is inexact in a double").isNotZero();
    }

    @Test
    void fcomiSetsEflagsAndFcmovAndFistpFollowThem() {
        vcpu.setRegs(vcpu.regs().withRflags(0x2 | 0x800 | 0x80));                     // OF and SF set beforehand
        assertThat(sequence("db e3", "d9 e8", "d9 ee", "db f1", "da d1", "df 7f 18", "dd d8"))
                .containsExactly("fninit", "fld1", "fldz", "fcomi", "fcmovbe", "fistpll", "fstp");
        assertThat(vcpu.regs().rflags() & 0x8d5).as("0 < 1: CF only, OF and SF cleared").isEqualTo(1);
        assertThat(ram.segment().get(ValueLayout.JAVA_LONG, DATA + 0x18)).as("ST(0) became ST(1) = 1").isEqualTo(1);
        assertThat(fx().get(4)).isZero();
    }

    @Test
    void aPushOntoAFullStackIsRefusedNotWrapped() {
        String[] eight = new String[9];
        eight[0] = "db e3";
        java.util.Arrays.fill(eight, 1, 9, "d9 e8");
        sequence(eight);
        assertThat(fx().get(4)).isEqualTo((byte) 0xff);
        vcpu.setRegs(vcpu.regs().withRip(CODE));
        assertThat(run("d9 ee")).isInstanceOfSatisfying(EmulationAssist.Outcome.Refused.class,
                o -> assertThat(o.reason()).contains("stack overflow"));
        assertThat(vcpu.regs().rip()).isEqualTo(CODE);
    }

    @Test
    void bitCountsSetTheirResultAndFlagsAsTheSdmSays() {
        vcpu.setRegs(new Regs(0, 0, 0, 0, 0xf0f0_0000_0000_0001L, DATA, 0x8000, 0, 0, 0, 0, 0, 0, 0, 0, 0, CODE, 0x8d7));
        assertThat(run("f3 48 0f b8 c6")).isEqualTo(new EmulationAssist.Outcome.Emulated("popcnt"));   // popcnt rax, rsi
        assertThat(vcpu.regs().rax()).isEqualTo(9);
        assertThat(vcpu.regs().rflags() & 0x8d5).as("CF PF AF ZF SF OF cleared").isZero();
        assertThat(vcpu.regs().rip()).isEqualTo(CODE + 5);
        vcpu.setRegs(vcpu.regs().withRip(CODE));
        assertThat(run("f3 0f bd c6")).isEqualTo(new EmulationAssist.Outcome.Emulated("lzcnt"));       // lzcnt eax, esi
        assertThat(vcpu.regs().rax()).as("32-bit: the low half 0x00000001 has 31 leading zeros").isEqualTo(31);
        vcpu.setRegs(vcpu.regs().withRip(CODE));
        assertThat(run("f3 48 0f bc c6")).isEqualTo(new EmulationAssist.Outcome.Emulated("tzcnt"));    // tzcnt rax, rsi
        assertThat(vcpu.regs().rax()).isZero();
        assertThat(vcpu.regs().rflags() & 0x41).as("ZF: the result is 0; CF: the source is not").isEqualTo(0x40);
        ram.segment().set(ValueLayout.JAVA_LONG, DATA, 0);
        vcpu.setRegs(vcpu.regs().withRip(CODE));
        assertThat(run("f3 48 0f bc 07")).isEqualTo(new EmulationAssist.Outcome.Emulated("tzcnt"));    // tzcnt rax, [rdi]
        assertThat(vcpu.regs().rax()).as("a zero source: the operand size").isEqualTo(64);
        assertThat(vcpu.regs().rflags() & 0x41).isEqualTo(0x1);
        vcpu.setRegs(vcpu.regs().withRip(CODE));
        assertThat(run("66 f3 0f b8 c6")).isEqualTo(new EmulationAssist.Outcome.Emulated("popcnt"));   // popcnt ax, si
        assertThat(vcpu.regs().rax()).as("16-bit: the upper bits of RAX stay").isEqualTo(1);
    }

    @Test
    void int3IsDeliveredThroughTheGuestsIdtAsATrap() {
        long idt = 0x6000;
        long handler = 0x7123;
        MemorySegment m = ram.segment();
        // IDT entry 3: a present 64-bit interrupt gate (0x8E) to 0x08:handler.
        m.set(ValueLayout.JAVA_LONG, idt + 3 * 16, (handler & 0xffff) | 0x8L << 16 | 0x8eL << 40 | (handler >>> 16 & 0xffff) << 48);
        m.set(ValueLayout.JAVA_LONG, idt + 3 * 16 + 8, handler >>> 32);
        Sregs s = vcpu.sregs();
        vcpu.setSregs(new Sregs(s.cs(), s.ds(), s.es(), s.fs(), s.gs(), s.ss(), s.tr(), s.ldt(), s.gdt(),
                new DescriptorTable(idt, 0xfff), s.cr0(), s.cr2(), s.cr3(), s.cr4(), s.cr8(), s.efer(), s.apicBase(),
                s.interruptBitmap()));
        vcpu.setRegs(new Regs(0, 0, 0, 0, 0, 0, 0x8008, 0, 0, 0, 0, 0, 0, 0, 0, 0, CODE, 0x202));
        assertThat(run("cc")).isEqualTo(new EmulationAssist.Outcome.Emulated("int3"));
        Regs r = vcpu.regs();
        assertThat(r.rip()).isEqualTo(handler);
        assertThat(r.rsp()).as("aligned to 16, then five quadwords").isEqualTo(0x8000 - 40);
        assertThat(r.rflags() & 0x200).as("an interrupt gate clears IF").isZero();
        assertThat(m.get(ValueLayout.JAVA_LONG, 0x8000 - 40)).as("RIP after the int3").isEqualTo(CODE + 1);
        assertThat(m.get(ValueLayout.JAVA_LONG, 0x8000 - 32)).as("CS").isEqualTo(0x8);
        assertThat(m.get(ValueLayout.JAVA_LONG, 0x8000 - 24)).as("RFLAGS").isEqualTo(0x202);
        assertThat(m.get(ValueLayout.JAVA_LONG, 0x8000 - 16)).as("RSP before").isEqualTo(0x8008);
        assertThat(m.get(ValueLayout.JAVA_LONG, 0x8000 - 8)).as("SS").isEqualTo(0x10);
        assertThat(run("0f 0b")).as("no #UD gate: refused, not a second fault")
                .isInstanceOfSatisfying(EmulationAssist.Outcome.Refused.class,
                        o -> assertThat(o.reason()).startsWith("ud2: IDT entry 6 is not a present 64-bit"));
    }

    @Test
    void clacAndStacToggleAcOnlyWhereSmapIsOn() {
        assertThat(run("0f 01 cb")).as("CR4.SMAP is off in this vCPU").isInstanceOf(EmulationAssist.Outcome.Refused.class);
        Sregs s = vcpu.sregs();
        vcpu.setSregs(new Sregs(s.cs(), s.ds(), s.es(), s.fs(), s.gs(), s.ss(), s.tr(), s.ldt(), s.gdt(), s.idt(), s.cr0(),
                s.cr2(), s.cr3(), s.cr4() | 1L << 21, s.cr8(), s.efer(), s.apicBase(), s.interruptBitmap()));
        assertThat(run("0f 01 cb")).isEqualTo(new EmulationAssist.Outcome.Emulated("stac"));
        assertThat(vcpu.regs().rflags() & 1L << 18).isNotZero();
        assertThat(vcpu.regs().rip()).isEqualTo(CODE + 3);
        assertThat(run("0f 01 ca")).isEqualTo(new EmulationAssist.Outcome.Emulated("clac"));
        assertThat(vcpu.regs().rflags() & 1L << 18).isZero();
    }
}
