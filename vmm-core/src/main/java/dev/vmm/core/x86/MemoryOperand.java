package dev.vmm.core.x86;

/**
 * A memory operand as ModRM/SIB describe it: {@code segment:[base + index * scale + displacement]}.
 * Registers are numbered as in the encoding (0 = rAX ... 15 = r15), -1 for none.
 *
 * @param ripRelative 64-bit mode [RIP + disp32]: relative to the next instruction
 * @param addressSize 2, 4 or 8: the width the effective address wraps at
 */
public record MemoryOperand(Segment segment, int base, int index, int scale, long displacement, boolean ripRelative,
                            int addressSize) {
    public enum Segment { ES, CS, SS, DS, FS, GS }
}
