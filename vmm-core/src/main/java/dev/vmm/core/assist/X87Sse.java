package dev.vmm.core.assist;

import dev.vmm.core.x86.Instruction;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The x87 control and SSE state instructions firmware executes that this host's KVM cannot emulate,
 * each with its effect as the Intel SDM vol. 2 defines it. State lives in the FXSAVE image
 * (FCW @0, FSW @2, abridged FTW @4, FOP @6, FIP @8, FDP @16, MXCSR @24, MXCSR_MASK @28, ST(i) @32,
 * XMM @160).
 */
final class X87Sse {
    private static final int FCW = X87Stack.FCW, FSW = X87Stack.FSW, FTW = X87Stack.FTW;
    private static final int FOP = 6, FIP = 8, FDP = 16, MXCSR = 24, MXCSR_MASK = 28;
    private static final int XMM = 160;
    private static final int FSW_ES = 1 << 7;
    /** FNCLEX clears the exception flags PE..IE, SF, ES and B. */
    private static final int FSW_EXCEPTIONS = 0x80ff;
    private static final int FCW_INIT = 0x037f;

    private X87Sse() {}

    /** Executes {@code insn}; returns its mnemonic, or throws if it is not one of the assisted ones. */
    static String execute(CpuContext cpu, Instruction insn) throws AssistException {
        int op = insn.opcode();
        boolean mem = insn.memory() != null;
        switch (op) {
            case 0x9b -> {
                // FWAIT: would raise #MF on a pending unmasked x87 exception; otherwise does nothing.
                if ((cpu.fxsave().getShort(FSW) & FSW_ES) != 0) {
                    throw new AssistException("FWAIT with a pending x87 exception (#MF)");
                }
                return "fwait";
            }
            case 0xdb -> {
                if (!mem && insn.digit() == 4 && (insn.rm() & 7) == 3) {
                    return fninit(cpu);
                }
                if (!mem && insn.digit() == 4 && (insn.rm() & 7) == 2) {
                    ByteBuffer f = cpu.fxsave();
                    f.putShort(FSW, (short) (f.getShort(FSW) & ~FSW_EXCEPTIONS));
                    cpu.fpuChanged();
                    return "fnclex";
                }
            }
            case 0xd9 -> {
                if (mem && insn.digit() == 5) {
                    ByteBuffer f = cpu.fxsave();
                    f.putShort(FCW, (short) cpu.readLe(cpu.linear(insn.memory(), insn.length()), 2));
                    cpu.fpuChanged();
                    return "fldcw";
                }
                if (mem && insn.digit() == 7) {
                    cpu.writeLe(cpu.linear(insn.memory(), insn.length()), cpu.fxsave().getShort(FCW), 2);
                    return "fnstcw";
                }
            }
            case 0xdd -> {
                if (mem && insn.digit() == 7) {
                    cpu.writeLe(cpu.linear(insn.memory(), insn.length()), cpu.fxsave().getShort(FSW), 2);
                    return "fnstsw";
                }
            }
            case 0xdf -> {
                if (!mem && insn.digit() == 4 && (insn.rm() & 7) == 0) {
                    long rax = cpu.gpr(0);
                    cpu.setGpr(0, rax & ~0xffffL | (cpu.fxsave().getShort(FSW) & 0xffff));
                    return "fnstsw ax";
                }
            }
            case 0x0fae -> {
                if (mem && insn.mandatoryPrefix() == 0) {
                    long at = cpu.linear(insn.memory(), insn.length());
                    switch (insn.digit()) {
                        case 0 -> {
                            return fxsave(cpu, at, insn.operandSize() == 8);
                        }
                        case 1 -> {
                            return fxrstor(cpu, at, insn.operandSize() == 8);
                        }
                        case 2 -> {
                            int value = (int) cpu.readLe(at, 4);
                            checkMxcsr(cpu, value);
                            cpu.fxsave().putInt(MXCSR, value);
                            cpu.fpuChanged();
                            return "ldmxcsr";
                        }
                        case 3 -> {
                            cpu.writeLe(at, cpu.fxsave().getInt(MXCSR), 4);
                            return "stmxcsr";
                        }
                        default -> { }
                    }
                }
            }
            case 0x0f6f, 0x0f7f, 0x0f10, 0x0f11, 0x0f28, 0x0f29 -> {
                return sseMove(cpu, insn);
            }
            default -> { }
        }
        if (op >= 0xd8 && op <= 0xdf) {
            return X87Data.execute(cpu, insn);
        }
        throw new AssistException("instruction not in the assist's set");
    }

    private static String fninit(CpuContext cpu) {
        ByteBuffer f = cpu.fxsave();
        f.putShort(FCW, (short) FCW_INIT).putShort(FSW, (short) 0).put(FTW, (byte) 0).putShort(FOP, (short) 0)
                .putLong(FIP, 0).putLong(FDP, 0);
        cpu.fpuChanged();
        return "fninit";
    }

    /** MXCSR bits outside MXCSR_MASK raise #GP. */
    private static void checkMxcsr(CpuContext cpu, int value) throws AssistException {
        int mask = cpu.fxsave().getInt(MXCSR_MASK);
        if (mask == 0) {
            mask = 0xffbf;    // the SDM's default when the mask field is 0
        }
        if ((value & ~mask) != 0) {
            throw new AssistException(String.format("MXCSR 0x%x sets reserved bits (#GP)", value));
        }
    }

    /**
     * FXSAVE: the 512-byte image. Without REX.W the FIP and FDP fields take the 32-bit form (offset,
     * then a zero selector, as 64-bit CPUs store it); outside 64-bit mode XMM8-15 are not saved.
     */
    private static String fxsave(CpuContext cpu, long at, boolean rexW) throws AssistException {
        if ((at & 15) != 0) {
            throw new AssistException(String.format("FXSAVE to 0x%x is not 16-byte aligned (#GP)", at));
        }
        ByteBuffer f = cpu.fxsave();
        byte[] image = new byte[cpu.mode() == 64 ? 416 : 288];
        f.get(0, image, 0, image.length);
        if (!rexW) {
            ByteBuffer b = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
            b.putInt(FIP, (int) f.getLong(FIP)).putInt(FIP + 4, 0).putInt(FDP, (int) f.getLong(FDP)).putInt(FDP + 4, 0);
        }
        cpu.write(at, image);
        return rexW ? "fxsave64" : "fxsave";
    }

    private static String fxrstor(CpuContext cpu, long at, boolean rexW) throws AssistException {
        if ((at & 15) != 0) {
            throw new AssistException(String.format("FXRSTOR from 0x%x is not 16-byte aligned (#GP)", at));
        }
        int size = cpu.mode() == 64 ? 416 : 288;
        ByteBuffer image = ByteBuffer.wrap(cpu.read(at, size)).order(ByteOrder.LITTLE_ENDIAN);
        checkMxcsr(cpu, image.getInt(MXCSR));
        ByteBuffer f = cpu.fxsave();
        int mask = f.getInt(MXCSR_MASK);
        for (int i = 0; i < size; i++) {
            if (i < MXCSR_MASK || i >= MXCSR_MASK + 4) {     // MXCSR_MASK is not loaded
                f.put(i, image.get(i));
            }
        }
        if (!rexW) {
            f.putLong(FIP, image.getInt(FIP) & 0xffffffffL).putLong(FDP, image.getInt(FDP) & 0xffffffffL);
        }
        f.putInt(MXCSR_MASK, mask);
        cpu.fpuChanged();
        return rexW ? "fxrstor64" : "fxrstor";
    }

    /** MOVDQU/MOVDQA (F3/66 0F 6F, 7F) and MOVUPS/MOVAPS (0F 10/11, 28/29): 128-bit moves. */
    private static String sseMove(CpuContext cpu, Instruction insn) throws AssistException {
        int op = insn.opcode() & 0xff;
        int prefix = insn.mandatoryPrefix();
        String name;
        boolean aligned;
        if (op == 0x6f || op == 0x7f) {
            if (prefix == 0xf3) {
                name = "movdqu";
                aligned = false;
            } else if (prefix == 0x66) {
                name = "movdqa";
                aligned = true;
            } else {
                throw new AssistException("MMX move not in the assist's set");
            }
        } else if (prefix == 0) {
            name = op == 0x10 || op == 0x11 ? "movups" : "movaps";
            aligned = op == 0x28 || op == 0x29;
        } else {
            throw new AssistException("SSE move with prefix " + Integer.toHexString(prefix) + " not in the assist's set");
        }
        boolean store = op == 0x7f || op == 0x11 || op == 0x29;
        ByteBuffer f = cpu.fxsave();
        int xmm = XMM + 16 * insn.reg();
        if (insn.memory() == null) {
            int other = XMM + 16 * insn.rm();
            byte[] v = new byte[16];
            f.get(store ? xmm : other, v);
            f.put(store ? other : xmm, v);
            cpu.fpuChanged();
            return name;
        }
        long at = cpu.linear(insn.memory(), insn.length());
        if (aligned && (at & 15) != 0) {
            throw new AssistException(String.format("%s at 0x%x is not 16-byte aligned (#GP)", name, at));
        }
        if (store) {
            byte[] v = new byte[16];
            f.get(xmm, v);
            cpu.write(at, v);
        } else {
            f.put(xmm, cpu.read(at, 16));
            cpu.fpuChanged();
        }
        return name;
    }
}
