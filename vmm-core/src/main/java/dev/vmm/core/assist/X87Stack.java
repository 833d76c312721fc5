package dev.vmm.core.assist;

import java.nio.ByteBuffer;

/**
 * The x87 register stack inside an FXSAVE image: FCW @0, FSW @2 (TOP in bits 11-13, C0-C3, exception
 * flags), the abridged tag byte @4 (bit i: physical register i is in use) and ST(0)-ST(7) @32, 16
 * bytes apart, in stack order. Stack faults (pushing onto a full register, reading an empty one) are
 * refused rather than modelled: no firmware relies on them.
 */
final class X87Stack {
    static final int FCW = 0, FSW = 2, FTW = 4, ST = 32;
    static final int C0 = 1 << 8, C1 = 1 << 9, C2 = 1 << 10, C3 = 1 << 14;
    private static final int ES_B = 0x8080;

    private final CpuContext cpu;
    private final ByteBuffer f;

    X87Stack(CpuContext cpu) {
        this.cpu = cpu;
        this.f = cpu.fxsave();
    }

    int fcw() {
        return f.getShort(FCW) & 0xffff;
    }

    int fsw() {
        return f.getShort(FSW) & 0xffff;
    }

    private void setFsw(int value) {
        f.putShort(FSW, (short) value);
        cpu.fpuChanged();
    }

    int top() {
        return fsw() >> 11 & 7;
    }

    private void setTop(int top) {
        setFsw(fsw() & ~(7 << 11) | (top & 7) << 11);
    }

    private boolean inUse(int physical) {
        return (f.get(FTW) >> physical & 1) != 0;
    }

    private void setInUse(int physical, boolean used) {
        int tags = f.get(FTW) & 0xff;
        f.put(FTW, (byte) (used ? tags | 1 << physical : tags & ~(1 << physical)));
        cpu.fpuChanged();
    }

    Float80 st(int i) throws AssistException {
        if (!inUse((top() + i) & 7)) {
            throw new AssistException("x87 stack underflow: ST(" + i + ") is empty (not modelled)");
        }
        byte[] b = new byte[10];
        f.get(ST + 16 * i, b);
        return Float80.fromBytes(b);
    }

    void setSt(int i, Float80 v) {
        f.put(ST + 16 * i, v.toBytes());
        for (int k = 10; k < 16; k++) {
            f.put(ST + 16 * i + k, (byte) 0);
        }
        setInUse((top() + i) & 7, true);
    }

    void push(Float80 v) throws AssistException {
        int newTop = (top() - 1) & 7;
        if (inUse(newTop)) {
            throw new AssistException("x87 stack overflow: register " + newTop + " is in use (not modelled)");
        }
        byte[] area = new byte[16 * 7];
        f.get(ST, area);
        f.put(ST + 16, area);            // the image is in stack order: everything moves down one slot
        setTop(newTop);
        setSt(0, v);
    }

    void pop() {
        setInUse(top(), false);
        byte[] area = new byte[16 * 7];
        f.get(ST + 16, area);
        byte[] st0 = new byte[16];
        f.get(ST, st0);
        f.put(ST, area);
        f.put(ST + 16 * 7, st0);         // the physical register keeps its bits, now ST(7)
        setTop(top() + 1);
    }

    void exchange(int i) throws AssistException {
        Float80 a = st(0);
        Float80 b = st(i);
        setSt(0, b);
        setSt(i, a);
    }

    void free(int i) {
        setInUse((top() + i) & 7, false);
    }

    /**
     * Records exception flags (sticky) and C1. A masked exception's default result has already been
     * delivered; an unmasked invalid, zero-divide, overflow or underflow would trap, which is refused.
     * An unmasked denormal or precision exception is flagged with ES and B and reported (#MF) by the
     * next waiting x87 instruction, as on hardware.
     */
    void raise(int flags, boolean c1) throws AssistException {
        int unmasked = flags & ~fcw() & 0x3f;
        if ((unmasked & (X87Arithmetic.IE | X87Arithmetic.ZE | X87Arithmetic.OE | X87Arithmetic.UE)) != 0) {
            throw new AssistException(String.format("unmasked x87 exception (flags 0x%x, FCW 0x%x): #MF not modelled",
                    flags, fcw()));
        }
        int fsw = fsw() | flags;
        if (unmasked != 0) {
            fsw |= ES_B;
        }
        setFsw(c1 ? fsw | C1 : fsw & ~C1);
    }

    /** C0, C2, C3 from an FCOM-style comparison: 1 greater, 0 equal, -1 less, 2 unordered. */
    void setCompareCodes(int order) {
        int codes = switch (order) {
            case 1 -> 0;
            case 0 -> C3;
            case -1 -> C0;
            default -> C3 | C2 | C0;
        };
        setFsw(fsw() & ~(C0 | C1 | C2 | C3) | codes);
    }
}
