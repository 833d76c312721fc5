package dev.vmm.core.assist;

import dev.vmm.core.x86.Instruction;

/**
 * POPCNT, LZCNT and TZCNT (F3 0F B8/BD/BC /r), which a guest kernel uses where CPUID offers them and
 * a software KVM's instruction emulator does not have. Results and flags as Intel SDM vol. 2 gives
 * them: POPCNT sets ZF on a zero source and clears CF, OF, SF, AF, PF; LZCNT/TZCNT set CF on a zero
 * source and ZF on a zero result (the other flags are undefined; they are cleared here).
 */
final class BitCounts {
    private static final int POPCNT = 0x0fb8;
    private static final int TZCNT = 0x0fbc;
    private static final int LZCNT = 0x0fbd;
    static final long CF = 1;
    static final long PF = 1 << 2;
    static final long AF = 1 << 4;
    static final long ZF = 1 << 6;
    static final long SF = 1 << 7;
    static final long OF = 1 << 11;
    private static final long STATUS = CF | PF | AF | ZF | SF | OF;

    private BitCounts() {}

    /** The mnemonic if {@code insn} is one of them (and now done), else null. */
    static String execute(CpuContext cpu, Instruction insn) throws AssistException {
        if (insn.mandatoryPrefix() != 0xf3 || !insn.hasModRm()
                || insn.opcode() != POPCNT && insn.opcode() != TZCNT && insn.opcode() != LZCNT) {
            return null;
        }
        int size = insn.operandSize();
        int bits = size * 8;
        long mask = bits == 64 ? -1L : (1L << bits) - 1;
        long src = (insn.memory() != null ? cpu.readLe(cpu.linear(insn.memory(), insn.length()), size)
                : cpu.gpr(insn.rm())) & mask;
        long result;
        long flags = cpu.rflags() & ~STATUS;
        String mnemonic;
        switch (insn.opcode()) {
            case POPCNT -> {
                result = Long.bitCount(src);
                flags |= src == 0 ? ZF : 0;
                mnemonic = "popcnt";
            }
            case TZCNT -> {
                result = src == 0 ? bits : Long.numberOfTrailingZeros(src);
                flags |= (src == 0 ? CF : 0) | (result == 0 ? ZF : 0);
                mnemonic = "tzcnt";
            }
            default -> {
                result = src == 0 ? bits : Long.numberOfLeadingZeros(src) - (64 - bits);
                flags |= (src == 0 ? CF : 0) | (result == 0 ? ZF : 0);
                mnemonic = "lzcnt";
            }
        }
        writeDestination(cpu, insn.reg(), result, size);
        cpu.setRflags(flags);
        return mnemonic;
    }

    /** A 32-bit result zeroes the register's upper half; a 16-bit one leaves it, as on the CPU. */
    static void writeDestination(CpuContext cpu, int reg, long value, int size) {
        long v = switch (size) {
            case 2 -> cpu.gpr(reg) & ~0xffffL | value & 0xffff;
            case 4 -> value & 0xffff_ffffL;
            default -> value;
        };
        cpu.setGpr(reg, v);
    }
}
