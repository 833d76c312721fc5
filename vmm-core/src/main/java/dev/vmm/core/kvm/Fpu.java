package dev.vmm.core.kvm;

import static dev.vmm.core.abi.CStruct.offset;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemorySegment;

/** Legacy FPU and SSE state ({@code struct kvm_fpu}, the FXSAVE image). */
public record Fpu(byte[] fpr, int fcw, int fsw, int ftwx, int lastOpcode, long lastIp, long lastDp, byte[] xmm,
                  int mxcsr) {
    /** FNINIT's control word and the reset MXCSR (all exceptions masked). */
    public static final int FCW_RESET = 0x37f;
    public static final int MXCSR_RESET = 0x1f80;

    private static final long FCW = offset(RegsLayouts.KVM_FPU, "fcw");
    private static final long FSW = offset(RegsLayouts.KVM_FPU, "fsw");
    private static final long FTWX = offset(RegsLayouts.KVM_FPU, "ftwx");
    private static final long LAST_OPCODE = offset(RegsLayouts.KVM_FPU, "last_opcode");
    private static final long LAST_IP = offset(RegsLayouts.KVM_FPU, "last_ip");
    private static final long LAST_DP = offset(RegsLayouts.KVM_FPU, "last_dp");
    private static final long XMM = offset(RegsLayouts.KVM_FPU, "xmm");
    private static final long MXCSR = offset(RegsLayouts.KVM_FPU, "mxcsr");

    public static Fpu reset() {
        return new Fpu(new byte[128], FCW_RESET, 0, 0, 0, 0, 0, new byte[256], MXCSR_RESET);
    }

    static Fpu read(MemorySegment m) {
        byte[] fpr = new byte[128];
        byte[] xmm = new byte[256];
        MemorySegment.copy(m, JAVA_BYTE, 0, fpr, 0, 128);
        MemorySegment.copy(m, JAVA_BYTE, XMM, xmm, 0, 256);
        return new Fpu(fpr, m.get(JAVA_SHORT, FCW) & 0xffff, m.get(JAVA_SHORT, FSW) & 0xffff,
                m.get(JAVA_BYTE, FTWX) & 0xff, m.get(JAVA_SHORT, LAST_OPCODE) & 0xffff, m.get(JAVA_LONG, LAST_IP),
                m.get(JAVA_LONG, LAST_DP), xmm, m.get(JAVA_INT, MXCSR));
    }

    void write(MemorySegment m) {
        m.fill((byte) 0);
        MemorySegment.copy(fpr, 0, m, JAVA_BYTE, 0, 128);
        MemorySegment.copy(xmm, 0, m, JAVA_BYTE, XMM, 256);
        m.set(JAVA_SHORT, FCW, (short) fcw);
        m.set(JAVA_SHORT, FSW, (short) fsw);
        m.set(JAVA_BYTE, FTWX, (byte) ftwx);
        m.set(JAVA_SHORT, LAST_OPCODE, (short) lastOpcode);
        m.set(JAVA_LONG, LAST_IP, lastIp);
        m.set(JAVA_LONG, LAST_DP, lastDp);
        m.set(JAVA_INT, MXCSR, mxcsr);
    }
}
