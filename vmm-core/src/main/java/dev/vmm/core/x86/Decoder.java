package dev.vmm.core.x86;

import java.util.HexFormat;

/**
 * Decodes the prefixes, opcode, ModRM, SIB and displacement of one instruction, for the emulation
 * assist (Intel SDM vol. 2, chapter 2). It decodes any one- or two-byte opcode with a ModRM byte
 * whose operand structure it knows; the emulator then decides whether it implements the opcode.
 * Immediates are not decoded: none of the assisted instructions has one.
 */
public final class Decoder {
    private Decoder() {}

    /** @param mode 16, 32 or 64: the default operand/address size of the code segment (64 = long mode) */
    public static Instruction decode(byte[] b, int mode) throws DecodeException {
        int i = 0;
        int opsize = mode == 16 ? 2 : 4;
        int addrsize = mode == 16 ? 2 : mode == 32 ? 4 : 8;
        int mandatory = 0;
        boolean lock = false;
        boolean rep = false;
        MemoryOperand.Segment segment = null;
        int rex = 0;
        prefixes:
        while (true) {
            int p = at(b, i) & 0xff;
            switch (p) {
                case 0x66 -> {
                    opsize = mode == 16 ? 4 : 2;
                    mandatory = 0x66;
                }
                case 0x67 -> addrsize = mode == 16 ? 4 : mode == 32 ? 2 : 4;
                case 0xf0 -> lock = true;
                case 0xf2, 0xf3 -> {
                    rep = true;
                    mandatory = p;
                }
                case 0x26 -> segment = MemoryOperand.Segment.ES;
                case 0x2e -> segment = MemoryOperand.Segment.CS;
                case 0x36 -> segment = MemoryOperand.Segment.SS;
                case 0x3e -> segment = MemoryOperand.Segment.DS;
                case 0x64 -> segment = MemoryOperand.Segment.FS;
                case 0x65 -> segment = MemoryOperand.Segment.GS;
                default -> {
                    break prefixes;
                }
            }
            i++;
            if (i > 14) {
                throw new DecodeException("more than 14 prefixes");
            }
        }
        if (mode == 64 && (at(b, i) & 0xf0) == 0x40) {
            rex = at(b, i) & 0xff;
            i++;
        }
        if ((rex & 8) != 0) {
            opsize = 8;
        }
        int opcode = at(b, i++) & 0xff;
        if (opcode == 0x0f) {
            opcode = 0x0f00 | (at(b, i++) & 0xff);
        }
        if (!hasModRm(opcode)) {
            return new Instruction(opcode, -1, -1, -1, null, opsize, mandatory, lock, rep, i, hex(b, i));
        }
        int modrm = at(b, i++) & 0xff;
        int mod = modrm >> 6;
        int reg = (modrm >> 3 & 7) | ((rex & 4) << 1);
        int rm = modrm & 7;
        if (mod == 3) {
            return new Instruction(opcode, mod, reg, rm | ((rex & 1) << 3), null, opsize, mandatory, lock, rep, i,
                    hex(b, i));
        }
        MemoryOperand mem;
        if (addrsize == 2) {
            int[] bases = {3, 3, 5, 5, 6, 7, 5, 3};    // BX, BX, BP, BP, SI, DI, BP, BX
            int[] indexes = {6, 7, 6, 7, -1, -1, -1, -1};
            long disp = 0;
            int base = bases[rm];
            int index = indexes[rm];
            if (mod == 0 && rm == 6) {
                base = -1;
                disp = (short) le(b, i, 2);
                i += 2;
            } else if (mod == 1) {
                disp = at(b, i++);
            } else if (mod == 2) {
                disp = (short) le(b, i, 2);
                i += 2;
            }
            MemoryOperand.Segment def = base == 5 ? MemoryOperand.Segment.SS : MemoryOperand.Segment.DS;
            mem = new MemoryOperand(segment == null ? def : segment, base, index, 1, disp, false, 2);
        } else {
            int base = rm | ((rex & 1) << 3);
            int index = -1;
            int scale = 1;
            boolean ripRelative = false;
            boolean disp32 = mod == 2;
            if (rm == 4) {
                int sib = at(b, i++) & 0xff;
                scale = 1 << (sib >> 6);
                index = (sib >> 3 & 7) | ((rex & 2) << 2);
                if (index == 4) {
                    index = -1;      // SIB index 100b without REX.X: no index
                }
                base = (sib & 7) | ((rex & 1) << 3);
                if ((sib & 7) == 5 && mod == 0) {
                    base = -1;       // [index * scale + disp32]
                    disp32 = true;
                }
            } else if (rm == 5 && mod == 0) {
                base = -1;           // disp32: absolute, or RIP-relative in 64-bit mode
                ripRelative = mode == 64;
                disp32 = true;
            }
            long disp = 0;
            if (mod == 1) {
                disp = at(b, i++);
            } else if (disp32) {
                disp = (int) le(b, i, 4);
                i += 4;
            }
            boolean stackBase = base == 4 || base == 5;
            MemoryOperand.Segment def = stackBase ? MemoryOperand.Segment.SS : MemoryOperand.Segment.DS;
            mem = new MemoryOperand(segment == null ? def : segment, base, index, scale, disp, ripRelative, addrsize);
        }
        return new Instruction(opcode, mod, reg, -1, mem, opsize, mandatory, lock, rep, i, hex(b, i));
    }

    /** Which opcodes take a ModRM byte: the x87 escapes, the group/SSE two-byte opcodes we meet. */
    static boolean hasModRm(int opcode) {
        if (opcode >= 0xd8 && opcode <= 0xdf) {
            return true;
        }
        if (opcode < 0x100) {
            int lo = opcode & 7;
            return opcode < 0x40 && lo < 4 || opcode >= 0x80 && opcode <= 0x8f || opcode == 0xc6 || opcode == 0xc7
                    || opcode >= 0xd0 && opcode <= 0xd3 || opcode == 0xf6 || opcode == 0xf7 || opcode == 0xfe
                    || opcode == 0xff || opcode == 0x62 || opcode == 0x63 || opcode == 0x69 || opcode == 0x6b;
        }
        int op = opcode & 0xff;
        return !(op >= 0x80 && op <= 0x8f) && op != 0x05 && op != 0x06 && op != 0x07 && op != 0x08 && op != 0x09
                && op != 0x0b && op != 0x30 && op != 0x31 && op != 0x32 && op != 0x33 && op != 0x34 && op != 0x35
                && op != 0xa0 && op != 0xa1 && op != 0xa2 && op != 0xa8 && op != 0xa9 && op != 0xaa
                && !(op >= 0xc8 && op <= 0xcf) && op != 0x77;
    }

    private static byte at(byte[] b, int i) throws DecodeException {
        if (i >= b.length) {
            throw new DecodeException("instruction truncated after " + b.length + " bytes: " + HexFormat.of().formatHex(b));
        }
        return b[i];
    }

    private static long le(byte[] b, int i, int n) throws DecodeException {
        long v = 0;
        for (int k = n - 1; k >= 0; k--) {
            v = v << 8 | (at(b, i + k) & 0xff);
        }
        return v;
    }

    private static String hex(byte[] b, int n) {
        return HexFormat.ofDelimiter(" ").formatHex(b, 0, Math.min(n, b.length));
    }
}
