package dev.vmm.core.assist;

import dev.vmm.core.kvm.Sregs;
import dev.vmm.core.x86.Instruction;

/**
 * CLAC and STAC (0F 01 CA/CB), which a kernel using SMAP runs at every entry and user access, and
 * which a software KVM's instruction emulator does not have: they clear or set RFLAGS.AC. At CPL 3 or
 * with CR4.SMAP clear they would raise #UD; the assist refuses those instead.
 */
final class SmapOps {
    private static final int GROUP_7 = 0x0f01;
    private static final long RFLAGS_AC = 1L << 18;
    private static final long CR4_SMAP = 1L << 21;

    private SmapOps() {}

    /** The mnemonic if {@code insn} is CLAC or STAC (and now done), else null. */
    static String execute(CpuContext cpu, Instruction insn) throws AssistException {
        if (insn.opcode() != GROUP_7 || insn.mod() != 3 || insn.digit() != 1 || (insn.rm() & 7) != 2 && (insn.rm() & 7) != 3) {
            return null;
        }
        boolean clac = (insn.rm() & 7) == 2;
        Sregs s = cpu.sregs();
        if ((s.cs().selector() & 3) != 0 || (s.cr4() & CR4_SMAP) == 0) {
            throw new AssistException((clac ? "clac" : "stac") + " at CPL 3 or without CR4.SMAP (#UD)");
        }
        cpu.setRflags(clac ? cpu.rflags() & ~RFLAGS_AC : cpu.rflags() | RFLAGS_AC);
        return clac ? "clac" : "stac";
    }
}
