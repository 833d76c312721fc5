package dev.vmm.core.x86;

/**
 * One decoded x86 instruction: the parts the emulation assist needs.
 *
 * @param opcode the opcode byte; for two-byte opcodes (0F xx) {@code 0x0F00 | xx}
 * @param reg ModRM.reg (with REX.R), or -1 without ModRM
 * @param rm ModRM.rm register number (with REX.B) when {@code memory} is null
 * @param memory the memory operand, or null for a register operand or no ModRM
 * @param operandSize 2, 4 or 8 bytes
 * @param mandatoryPrefix 0x66, 0xF2 or 0xF3 when it selects the SSE form; 0 otherwise
 */
public record Instruction(int opcode, int mod, int reg, int rm, MemoryOperand memory, int operandSize,
                          int mandatoryPrefix, boolean lock, boolean rep, int length, String bytes) {
    public boolean hasModRm() {
        return reg >= 0;
    }

    /** ModRM.reg without REX.R: the /digit of group opcodes. */
    public int digit() {
        return reg & 7;
    }
}
