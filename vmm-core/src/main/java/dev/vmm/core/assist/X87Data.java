package dev.vmm.core.assist;

import dev.vmm.core.assist.Float80.Format;
import dev.vmm.core.assist.Float80.Rounding;
import dev.vmm.core.assist.X87Arithmetic.Op;
import dev.vmm.core.assist.X87Arithmetic.Result;
import dev.vmm.core.x86.Instruction;

/**
 * The x87 data instructions compiled code uses (loads, stores, integer conversion, the four basic
 * operations, comparisons, FCMOVcc, FXCH), for hosts whose KVM cannot emulate any of them. Opcode map:
 * Intel SDM vol. 2, appendix A.5. FIP, FDP and FOP are left alone, as on CPUs that update them only
 * on unmasked exceptions. Transcendentals, BCD and FSAVE-format state are refused.
 */
final class X87Data {
    private static final int EFLAGS_CF = 1, EFLAGS_PF = 1 << 2, EFLAGS_ZF = 1 << 6;
    private static final int EFLAGS_STATUS = 0x8d5;     // OF SF ZF AF PF CF
    /** The arithmetic rows of D8/DC/DA/DE by ModRM.reg: /0 add, /1 mul, /4 sub, /5 subr, /6 div, /7 divr. */
    private static final String[] ARITH = {"fadd", "fmul", "fcom", "fcomp", "fsub", "fsubr", "fdiv", "fdivr"};

    private X87Data() {}

    static String execute(CpuContext cpu, Instruction insn) throws AssistException {
        X87Stack x = new X87Stack(cpu);
        int op = insn.opcode();
        int digit = insn.digit();
        if (insn.memory() != null) {
            long at = cpu.linear(insn.memory(), insn.length());
            return switch (op) {
                case 0xd8 -> memoryArith(cpu, x, digit, loadReal(cpu, x, at, Format.SINGLE), "s");
                case 0xdc -> memoryArith(cpu, x, digit, loadReal(cpu, x, at, Format.DOUBLE), "l");
                case 0xda -> memoryArith(cpu, x, digit, Float80.fromLong((int) cpu.readLe(at, 4)), "l", "fi");
                case 0xde -> memoryArith(cpu, x, digit, Float80.fromLong((short) cpu.readLe(at, 2)), "s", "fi");
                case 0xd9 -> switch (digit) {
                    case 0 -> push(x, loadReal(cpu, x, at, Format.SINGLE), "flds");
                    case 2, 3 -> storeReal(cpu, x, at, Format.SINGLE, digit == 3, digit == 3 ? "fstps" : "fsts");
                    default -> refuse(insn);
                };
                case 0xdd -> switch (digit) {
                    case 0 -> push(x, loadReal(cpu, x, at, Format.DOUBLE), "fldl");
                    case 1 -> storeInteger(cpu, x, at, 8, Rounding.TOWARD_ZERO, true, "fisttpll");
                    case 2, 3 -> storeReal(cpu, x, at, Format.DOUBLE, digit == 3, digit == 3 ? "fstpl" : "fstl");
                    default -> refuse(insn);
                };
                case 0xdb -> switch (digit) {
                    case 0 -> push(x, Float80.fromLong((int) cpu.readLe(at, 4)), "fildl");
                    case 1 -> storeInteger(cpu, x, at, 4, Rounding.TOWARD_ZERO, true, "fisttpl");
                    case 2, 3 -> storeInteger(cpu, x, at, 4, Rounding.of(x.fcw()), digit == 3, digit == 3 ? "fistpl" : "fistl");
                    case 5 -> push(x, Float80.fromBytes(cpu.read(at, 10)), "fldt");
                    case 7 -> {
                        cpu.write(at, x.st(0).toBytes());
                        x.pop();
                        yield "fstpt";
                    }
                    default -> refuse(insn);
                };
                case 0xdf -> switch (digit) {
                    case 0 -> push(x, Float80.fromLong((short) cpu.readLe(at, 2)), "filds");
                    case 1 -> storeInteger(cpu, x, at, 2, Rounding.TOWARD_ZERO, true, "fisttps");
                    case 2, 3 -> storeInteger(cpu, x, at, 2, Rounding.of(x.fcw()), digit == 3, digit == 3 ? "fistps" : "fists");
                    case 5 -> push(x, Float80.fromLong(cpu.readLe(at, 8)), "fildll");
                    case 7 -> storeInteger(cpu, x, at, 8, Rounding.of(x.fcw()), true, "fistpll");
                    default -> refuse(insn);
                };
                default -> refuse(insn);
            };
        }
        int i = insn.rm() & 7;
        return switch (op) {
            case 0xd8 -> registerArith(x, digit, 0, i, false, ARITH[digit]);
            case 0xdc -> registerArith(x, reversed(digit), i, i, false, ARITH[reversed(digit)]);
            case 0xde -> {
                if (digit == 3 && i == 1) {
                    yield compare(x, 0, 1, 2, false, "fcompp");
                }
                yield registerArith(x, reversed(digit), i, i, true, ARITH[reversed(digit)] + "p");
            }
            case 0xd9 -> switch (digit) {
                case 0 -> push(x, x.st(i), "fld");
                case 1 -> {
                    x.exchange(i);
                    x.raise(0, false);
                    yield "fxch";
                }
                case 2 -> i == 0 ? "fnop" : refuse(insn);
                case 4 -> switch (i) {
                    case 0 -> unary(x, x.st(0).negate(), "fchs");
                    case 1 -> unary(x, x.st(0).abs(), "fabs");
                    case 4 -> compareWith(x, Float80.ZERO, "ftst");
                    default -> refuse(insn);
                };
                case 5 -> switch (i) {
                    case 0 -> push(x, Float80.ONE, "fld1");
                    case 6 -> push(x, Float80.ZERO, "fldz");
                    default -> refuse(insn);
                };
                default -> refuse(insn);
            };
            case 0xda -> {
                if (digit == 5 && i == 1) {
                    yield compare(x, 0, 1, 2, true, "fucompp");
                }
                yield digit < 4 ? fcmov(cpu, x, digit, false, i) : refuse(insn);
            }
            case 0xdb -> switch (digit) {
                case 0, 1, 2, 3 -> fcmov(cpu, x, digit, true, i);
                case 5 -> compareToFlags(cpu, x, i, true, false, "fucomi");
                case 6 -> compareToFlags(cpu, x, i, false, false, "fcomi");
                default -> refuse(insn);
            };
            case 0xdd -> switch (digit) {
                case 0 -> {
                    x.free(i);
                    yield "ffree";
                }
                case 2, 3 -> {
                    x.setSt(i, x.st(0));
                    if (digit == 3) {
                        x.pop();
                    }
                    x.raise(0, false);
                    yield digit == 3 ? "fstp" : "fst";
                }
                case 4 -> compare(x, 0, i, 0, true, "fucom");
                case 5 -> compare(x, 0, i, 1, true, "fucomp");
                default -> refuse(insn);
            };
            case 0xdf -> switch (digit) {
                case 5 -> compareToFlags(cpu, x, i, true, true, "fucomip");
                case 6 -> compareToFlags(cpu, x, i, false, true, "fcomip");
                default -> refuse(insn);
            };
            default -> refuse(insn);
        };
    }

    /** DC and DE register forms swap the sub/div directions relative to D8 (SDM: "FSUBR ST(i), ST(0)" is DC E0). */
    private static int reversed(int digit) {
        return digit >= 4 ? digit ^ 1 : digit;
    }

    private static String refuse(Instruction insn) throws AssistException {
        throw new AssistException("x87 instruction not in the assist's set");
    }

    private static Float80 loadReal(CpuContext cpu, X87Stack x, long at, Format f) throws AssistException {
        long bits = cpu.readLe(at, f == Format.SINGLE ? 4 : 8);
        Float80 v = Float80.fromBinary(bits, f);
        int flags = (v.isSignalingNaN() ? X87Arithmetic.IE : 0) | (Float80.isDenormalBinary(bits, f) ? X87Arithmetic.DE : 0);
        if (v.isSignalingNaN()) {
            v = new Float80(v.signExponent(), v.significand() | 1L << 62);
        }
        x.raise(flags, false);
        return v;
    }

    private static String push(X87Stack x, Float80 v, String name) throws AssistException {
        x.push(v);
        x.raise(0, false);
        return name;
    }

    private static String unary(X87Stack x, Float80 v, String name) throws AssistException {
        x.setSt(0, v);
        x.raise(0, false);
        return name;
    }

    private static String memoryArith(CpuContext cpu, X87Stack x, int digit, Float80 operand, String suffix)
            throws AssistException {
        return memoryArith(cpu, x, digit, operand, suffix, "f");
    }

    /** ST(0) op= m32fp/m64fp/m16int/m32int; /2 and /3 compare instead. */
    private static String memoryArith(CpuContext cpu, X87Stack x, int digit, Float80 operand, String suffix, String prefix)
            throws AssistException {
        String name = prefix + ARITH[digit].substring(1) + suffix;
        if (digit == 2 || digit == 3) {
            compareOrder(x, x.st(0), operand, false);
            if (digit == 3) {
                x.pop();
            }
            return name;
        }
        x.setSt(0, arith(x, digit, x.st(0), operand));
        return name;
    }

    /** D8: ST(0) = ST(0) op ST(i); DC/DE: ST(i) = ST(i) op ST(0), then DE pops. */
    private static String registerArith(X87Stack x, int digit, int dest, int i, boolean pop, String name)
            throws AssistException {
        if (digit == 2 || digit == 3) {
            return compare(x, 0, i, digit == 3 ? 1 : 0, false, name);
        }
        Float80 a = x.st(dest);
        Float80 b = dest == 0 ? x.st(i) : x.st(0);
        x.setSt(dest, arith(x, digit, a, b));
        if (pop) {
            x.pop();
        }
        return name;
    }

    private static Float80 arith(X87Stack x, int digit, Float80 a, Float80 b) throws AssistException {
        Format f = Format.ofPrecisionControl(x.fcw());
        Rounding rc = Rounding.of(x.fcw());
        Result r = switch (digit) {
            case 0 -> X87Arithmetic.apply(Op.ADD, a, b, f, rc);
            case 1 -> X87Arithmetic.apply(Op.MUL, a, b, f, rc);
            case 4 -> X87Arithmetic.apply(Op.SUB, a, b, f, rc);
            case 5 -> X87Arithmetic.apply(Op.SUB, b, a, f, rc);
            case 6 -> X87Arithmetic.apply(Op.DIV, a, b, f, rc);
            case 7 -> X87Arithmetic.apply(Op.DIV, b, a, f, rc);
            default -> throw new AssistException("x87 arithmetic row /" + digit);
        };
        x.raise(r.flags(), r.roundedUp());
        return r.value();
    }

    /** FCOM/FUCOM family: compares ST(0) with ST(i), sets C0/C2/C3, pops {@code pops} times. */
    private static String compare(X87Stack x, int a, int i, int pops, boolean unordered, String name)
            throws AssistException {
        compareOrder(x, x.st(a), x.st(i), unordered);
        for (int k = 0; k < pops; k++) {
            x.pop();
        }
        return name;
    }

    private static String compareWith(X87Stack x, Float80 b, String name) throws AssistException {
        compareOrder(x, x.st(0), b, false);
        return name;
    }

    private static int compareOrder(X87Stack x, Float80 a, Float80 b, boolean unordered) throws AssistException {
        int order = order(x, a, b, unordered);
        x.setCompareCodes(order);
        return order;
    }

    private static int order(X87Stack x, Float80 a, Float80 b, boolean unordered) throws AssistException {
        X87Arithmetic.Comparison c = X87Arithmetic.compare(a, b, unordered);
        x.raise(c.flags(), false);
        return c.order();
    }

    /** FCOMI/FUCOMI(P): the comparison in ZF, PF, CF; OF, SF and AF cleared. */
    private static String compareToFlags(CpuContext cpu, X87Stack x, int i, boolean unordered, boolean pop, String name)
            throws AssistException {
        int order = order(x, x.st(0), x.st(i), unordered);
        long flags = switch (order) {
            case 1 -> 0;
            case 0 -> EFLAGS_ZF;
            case -1 -> EFLAGS_CF;
            default -> EFLAGS_ZF | EFLAGS_PF | EFLAGS_CF;
        };
        cpu.setRflags(cpu.rflags() & ~EFLAGS_STATUS | flags);
        if (pop) {
            x.pop();
        }
        return name;
    }

    /** FCMOVcc ST(0), ST(i): DA /0-/3 B, E, BE, U; DB the negations. */
    private static String fcmov(CpuContext cpu, X87Stack x, int digit, boolean negate, int i) throws AssistException {
        long fl = cpu.rflags();
        boolean cf = (fl & EFLAGS_CF) != 0, zf = (fl & EFLAGS_ZF) != 0, pf = (fl & EFLAGS_PF) != 0;
        boolean cond = switch (digit) {
            case 0 -> cf;
            case 1 -> zf;
            case 2 -> cf || zf;
            default -> pf;
        };
        if (cond != negate) {
            x.setSt(0, x.st(i));
        } else {
            x.st(0);     // the source must still be valid
            x.st(i);
        }
        x.raise(0, false);
        String[] names = {"b", "e", "be", "u"};
        return "fcmov" + (negate ? "n" : "") + names[digit];
    }

    /** FST/FSTP m32fp/m64fp. */
    private static String storeReal(CpuContext cpu, X87Stack x, long at, Format f, boolean pop, String name)
            throws AssistException {
        store(cpu, x, at, X87Arithmetic.toBinary(x.st(0), f, Rounding.of(x.fcw())), f == Format.SINGLE ? 4 : 8, pop);
        return name;
    }

    /** FIST/FISTP/FISTTP. */
    private static String storeInteger(CpuContext cpu, X87Stack x, long at, int size, Rounding rc, boolean pop,
                                       String name) throws AssistException {
        store(cpu, x, at, X87Arithmetic.toInteger(x.st(0), size, rc), size, pop);
        return name;
    }

    private static void store(CpuContext cpu, X87Stack x, long at, X87Arithmetic.Stored s, int size, boolean pop)
            throws AssistException {
        x.raise(s.flags(), s.roundedUp());
        cpu.writeLe(at, s.bits(), size);
        if (pop) {
            x.pop();
        }
    }
}
