package dev.vmm.core.assist;

import dev.vmm.core.kvm.Segment;
import dev.vmm.core.kvm.Sregs;

/**
 * Delivers an exception to a 64-bit guest the way the CPU does (Intel SDM vol. 3 §7.14, "Exception and
 * Interrupt Handling in 64-bit Mode"), for the instructions whose whole effect is to raise one: INT3
 * (#BP, a trap: the saved RIP is after it) and UD2 (#UD, a fault: the saved RIP is at it). A software
 * KVM's instruction emulator refuses both, yet Linux executes them on purpose (its int3 self-test and
 * text patching, WARN's ud2) and expects its own handler to run.
 *
 * <p>The gate comes from the IDT; the stack is the current one, or the TSS's RSP0 on a change to CPL 0,
 * or IST[n]; it is aligned to 16 and gets SS, RSP, RFLAGS, CS, RIP; TF, NT, RF (and IF through an
 * interrupt gate) are cleared. Anything the guest set up wrong is refused (the VM then stops with the
 * reason) instead of being delivered as a second fault.
 */
final class ExceptionDelivery {
    static final int BP = 3;
    static final int UD = 6;
    private static final int GATE_INTERRUPT = 0xe;
    private static final int GATE_TRAP = 0xf;
    private static final int RSP = 4;
    private static final long RFLAGS_TF = 1L << 8;
    private static final long RFLAGS_IF = 1L << 9;
    private static final long RFLAGS_NT = 1L << 14;
    private static final long RFLAGS_RF = 1L << 16;
    /** TSS64: RSP0 at 4, IST1..IST7 from 0x24. */
    private static final int TSS_RSP0 = 4;
    private static final int TSS_IST = 0x24;

    private ExceptionDelivery() {}

    /** @param next where the saved RIP points: after the instruction for a trap, at it for a fault */
    static void deliver(CpuContext cpu, int vector, long next) throws AssistException {
        if (cpu.mode() != 64) {
            throw new AssistException("exception " + vector + " outside 64-bit mode is not delivered by the assist");
        }
        Sregs s = cpu.sregs();
        if (16L * vector + 15 > (s.idt().limit() & 0xffffL)) {
            throw new AssistException(String.format("vector %d is beyond the IDT limit 0x%x", vector, s.idt().limit()));
        }
        byte[] gate = cpu.read(s.idt().base() + 16L * vector, 16);
        int type = gate[5] & 0xf;
        boolean present = (gate[5] & 0x80) != 0;
        if (!present || type != GATE_INTERRUPT && type != GATE_TRAP) {
            throw new AssistException(String.format("IDT entry %d is not a present 64-bit interrupt or trap gate "
                    + "(type 0x%x)", vector, type));
        }
        long offset = (gate[0] & 0xffL) | (gate[1] & 0xffL) << 8 | (gate[6] & 0xffL) << 16 | (gate[7] & 0xffL) << 24
                | le32(gate, 8) << 32;
        int selector = (gate[2] & 0xff) | (gate[3] & 0xff) << 8;
        int ist = gate[4] & 7;
        Segment cs = codeSegment(cpu, s, selector);
        int cpl = s.cs().selector() & 3;
        int target = cs.dpl();
        long rsp = cpu.gpr(RSP);
        if (ist != 0) {
            rsp = cpu.readLe(s.tr().base() + TSS_IST + 8L * (ist - 1), 8);
        } else if (target < cpl) {
            rsp = cpu.readLe(s.tr().base() + TSS_RSP0 + 8L * target, 8);
        }
        rsp &= ~0xfL;
        long[] frame = {s.ss().selector(), cpu.gpr(RSP), cpu.rflags(), s.cs().selector(), next};
        for (long v : frame) {
            rsp -= 8;
            cpu.writeLe(rsp, v, 8);
        }
        Segment ss = target < cpl ? new Segment(0, 0, target, 0, false, target, false, false, false, false, false, true)
                : s.ss();
        cpu.setSregs(new Sregs(cs, s.ds(), s.es(), s.fs(), s.gs(), ss, s.tr(), s.ldt(), s.gdt(), s.idt(), s.cr0(), s.cr2(),
                s.cr3(), s.cr4(), s.cr8(), s.efer(), s.apicBase(), s.interruptBitmap()));
        cpu.setGpr(RSP, rsp);
        long flags = cpu.rflags() & ~(RFLAGS_TF | RFLAGS_NT | RFLAGS_RF);
        cpu.setRflags(type == GATE_INTERRUPT ? flags & ~RFLAGS_IF : flags);
        cpu.setRip(offset);
    }

    /** The gate's code segment: the current CS when the selector is the same, else its GDT descriptor. */
    private static Segment codeSegment(CpuContext cpu, Sregs s, int selector) throws AssistException {
        if (selector == s.cs().selector()) {
            return s.cs();
        }
        int index = selector & ~7;
        if ((selector & 4) != 0 || index + 7 > (s.gdt().limit() & 0xffff) || index == 0) {
            throw new AssistException(String.format("gate selector 0x%x is not a GDT entry", selector));
        }
        byte[] d = cpu.read(s.gdt().base() + index, 8);
        int access = d[5] & 0xff;
        int flags = (d[6] & 0xff) >> 4;
        boolean longMode = (flags & 2) != 0;
        if ((access & 0x98) != 0x98 || !longMode) {
            throw new AssistException(String.format("gate selector 0x%x is not a present 64-bit code segment", selector));
        }
        return new Segment(0, 0xffffffff, selector & ~3 | (access >> 5 & 3), access & 0xf, true, access >> 5 & 3, false,
                true, true, (flags & 8) != 0, false, false);
    }

    private static long le32(byte[] b, int at) {
        return (b[at] & 0xffL) | (b[at + 1] & 0xffL) << 8 | (b[at + 2] & 0xffL) << 16 | (b[at + 3] & 0xffL) << 24;
    }
}
