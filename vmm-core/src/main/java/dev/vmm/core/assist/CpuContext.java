package dev.vmm.core.assist;

import dev.vmm.core.kvm.Regs;
import dev.vmm.core.kvm.Segment;
import dev.vmm.core.kvm.Sregs;
import dev.vmm.core.kvm.VcpuFd;
import dev.vmm.core.x86.MemoryOperand;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The state one assisted instruction reads and writes: registers loaded from the vCPU, memory through
 * the page walk, and the FPU/SSE state as an FXSAVE image (the legacy region of KVM's XSAVE image).
 * {@link #commit} writes back only what changed.
 */
final class CpuContext {
    /** XSAVE header XSTATE_BV: x87 and SSE, which the assist may change. */
    private static final int XSTATE_BV = 512;
    private static final long XSTATE_X87_SSE = 3;

    private final VcpuFd vcpu;
    private final PageWalker walker;
    private final PhysicalMemory memory;
    private Sregs sregs;
    private long[] gprs;
    private long rip;
    private final Regs regs;
    private long rflags;
    private ByteBuffer xsave;
    private boolean regsDirty;
    private boolean sregsDirty;
    private boolean fpuDirty;

    CpuContext(VcpuFd vcpu, PhysicalMemory memory) {
        this.vcpu = vcpu;
        this.memory = memory;
        this.walker = new PageWalker(memory);
        this.sregs = vcpu.sregs();
        this.regs = vcpu.regs();
        this.rip = regs.rip();
        this.rflags = regs.rflags();
        this.gprs = new long[] {regs.rax(), regs.rcx(), regs.rdx(), regs.rbx(), regs.rsp(), regs.rbp(), regs.rsi(),
                regs.rdi(), regs.r8(), regs.r9(), regs.r10(), regs.r11(), regs.r12(), regs.r13(), regs.r14(), regs.r15()};
    }

    /** 16, 32 or 64: the code segment's default size. */
    int mode() {
        if ((sregs.cr0() & Sregs.CR0_PE) == 0) {
            return 16;
        }
        if ((sregs.efer() & Sregs.EFER_LMA) != 0 && sregs.cs().l()) {
            return 64;
        }
        return sregs.cs().db() ? 32 : 16;
    }

    long rip() {
        return rip;
    }

    Sregs sregs() {
        return sregs;
    }

    void setSregs(Sregs value) {
        sregs = value;
        sregsDirty = true;
    }

    void setRip(long value) {
        rip = value;
        regsDirty = true;
    }

    void advance(int length) {
        rip = mode() == 64 ? rip + length : (rip + length) & (mode() == 32 ? 0xffffffffL : 0xffffL);
        regsDirty = true;
    }

    long rflags() {
        return rflags;
    }

    void setRflags(long value) {
        rflags = value;
        regsDirty = true;
    }

    long gpr(int n) {
        return gprs[n];
    }

    void setGpr(int n, long value) {
        gprs[n] = value;
        regsDirty = true;
    }

    /** The linear address of a memory operand of an instruction of {@code length} bytes. */
    long linear(MemoryOperand m, int length) {
        long ea = m.displacement();
        if (m.ripRelative()) {
            ea += rip + length;
        }
        if (m.base() >= 0) {
            ea += gprs[m.base()];
        }
        if (m.index() >= 0) {
            ea += gprs[m.index()] * m.scale();
        }
        ea = switch (m.addressSize()) {
            case 2 -> ea & 0xffff;
            case 4 -> ea & 0xffffffffL;
            default -> ea;
        };
        Segment seg = switch (m.segment()) {
            case ES -> sregs.es();
            case CS -> sregs.cs();
            case SS -> sregs.ss();
            case DS -> sregs.ds();
            case FS -> sregs.fs();
            case GS -> sregs.gs();
        };
        boolean flat = mode() == 64 && m.segment() != MemoryOperand.Segment.FS && m.segment() != MemoryOperand.Segment.GS;
        long linear = flat ? ea : seg.base() + ea;
        return mode() == 64 ? linear : linear & 0xffffffffL;
    }

    byte[] read(long linear, int length) throws AssistException {
        byte[] data = new byte[length];
        access(linear, data, false);
        return data;
    }

    void write(long linear, byte[] data) throws AssistException {
        access(linear, data, true);
    }

    /** A little-endian integer operand of {@code length} (1 to 8) bytes, zero-extended. */
    long readLe(long linear, int length) throws AssistException {
        byte[] b = read(linear, length);
        long v = 0;
        for (int i = length - 1; i >= 0; i--) {
            v = v << 8 | (b[i] & 0xff);
        }
        return v;
    }

    /** The low {@code length} bytes of {@code value}, little-endian. */
    void writeLe(long linear, long value, int length) throws AssistException {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (value >>> (8 * i));
        }
        write(linear, b);
    }

    /** Page by page: an operand may cross a page boundary. */
    private void access(long linear, byte[] data, boolean write) throws AssistException {
        int done = 0;
        while (done < data.length) {
            long at = linear + done;
            int chunk = (int) Math.min(data.length - done, 4096 - (at & 0xfff));
            long gpa = walker.translate(sregs, at, write);
            try {
                if (write) {
                    memory.write(gpa, data, done, chunk);
                } else {
                    memory.read(gpa, data, done, chunk);
                }
            } catch (RuntimeException e) {
                throw new AssistException(String.format("operand at linear 0x%x (gpa 0x%x) is not guest memory: %s",
                        at, gpa, e.getMessage()));
            }
            done += chunk;
        }
    }

    /** The FXSAVE image: FCW @0, FSW @2, abridged FTW @4, FOP @6, FIP @8, FDP @16, MXCSR @24, ST @32, XMM @160. */
    ByteBuffer fxsave() {
        if (xsave == null) {
            xsave = ByteBuffer.wrap(vcpu.xsave()).order(ByteOrder.LITTLE_ENDIAN);
        }
        return xsave;
    }

    void fpuChanged() {
        fpuDirty = true;
    }

    void commit() {
        if (sregsDirty) {
            vcpu.setSregs(sregs);
        }
        if (fpuDirty) {
            // Mark x87 and SSE as in use, or KVM would treat them as in their initial state.
            xsave.putLong(XSTATE_BV, xsave.getLong(XSTATE_BV) | XSTATE_X87_SSE);
            vcpu.setXsave(xsave.array());
        }
        if (regsDirty) {
            long[] g = gprs;
            vcpu.setRegs(new Regs(g[0], g[3], g[1], g[2], g[6], g[7], g[4], g[5], g[8], g[9], g[10], g[11], g[12], g[13],
                    g[14], g[15], rip, rflags));
        }
    }
}
