package dev.vmm.sev.vmsa;

import dev.vmm.core.kvm.DescriptorTable;
import dev.vmm.core.kvm.Segment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Builds a VMSA page the way KVM does in sev_es_sync_vmsa() (arch/x86/kvm/svm/sev.c): the VMCB save
 * area of the vCPU, its GPRs, XCR0, DR6 and the VM's SEV features, and, for VMs created with
 * KVM_SEV_INIT2, the FPU state. Offsets are those of the kernel-internal {@code struct
 * sev_es_save_area} (AMD APM vol. 2, table B-4); no UAPI header carries it, so the digests of
 * {@code expected.json} are what check them.
 */
public final class Vmsa {
    public static final int SIZE = 4096;
    private static final int ES = 0x000, CS = 0x010, SS = 0x020, DS = 0x030, FS = 0x040, GS = 0x050;
    private static final int GDTR = 0x060, LDTR = 0x070, IDTR = 0x080, TR = 0x090;
    private static final int CPL = 0x0cb;
    private static final int EFER = 0x0d0;
    private static final int CR4 = 0x148, CR3 = 0x150, CR0 = 0x158, DR7 = 0x160, DR6 = 0x168;
    private static final int RFLAGS = 0x170, RIP = 0x178, RSP = 0x1d8, RAX = 0x1f8;
    private static final int CR2 = 0x240, G_PAT = 0x268;
    private static final int RCX = 0x308, RDX = 0x310, RBX = 0x318, RBP = 0x328, RSI = 0x330, RDI = 0x338, R8 = 0x340;
    private static final int SEV_FEATURES = 0x3b0, XCR0 = 0x3e8;
    private static final int X87_DP = 0x400, MXCSR = 0x408, X87_FTW = 0x40c, X87_FSW = 0x40e, X87_FCW = 0x410;
    private static final int X87_FOP = 0x412, X87_RIP = 0x418, FPREG_X87 = 0x420, FPREG_XMM = 0x470;

    /** KVM sets EFER.SVME in every VMCB; the VMSA copy keeps it. */
    private static final long EFER_SVME = 1L << 12;
    /** KVM runs guests with the host's CR4.MCE, which Linux always sets. */
    private static final long CR4_MCE = 1L << 6;
    /** KVM_X86_QUIRK_CD_NW_CLEARED (on by default) clears CR0.CD and CR0.NW. */
    private static final long CR0_CD_NW = (1L << 30) | (1L << 29);

    private Vmsa() {}

    /**
     * @param sevFeatures the VMSA's SEV_FEATURES (for SNP including bit 0, SNP_ACTIVE)
     * @param fpu whether the FPU area is filled: true for VMs created with KVM_SEV_INIT2, false for
     *     the legacy KVM_SEV_ES_INIT, which leaves it zero to keep older measurements
     */
    public static byte[] build(LaunchVcpuState s, long sevFeatures, boolean fpu) {
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        var sr = s.sregs();
        segment(b, ES, sr.es());
        segment(b, CS, sr.cs());
        segment(b, SS, sr.ss());
        segment(b, DS, sr.ds());
        segment(b, FS, sr.fs());
        segment(b, GS, sr.gs());
        table(b, GDTR, sr.gdt());
        segment(b, LDTR, sr.ldt());
        table(b, IDTR, sr.idt());
        segment(b, TR, sr.tr());
        b.put(CPL, (byte) sr.ss().dpl());
        b.putLong(EFER, sr.efer() | EFER_SVME);
        b.putLong(CR4, sr.cr4() | CR4_MCE);
        b.putLong(CR3, sr.cr3());
        b.putLong(CR0, sr.cr0() & ~CR0_CD_NW);
        b.putLong(CR2, sr.cr2());
        b.putLong(DR7, s.dr7());
        b.putLong(DR6, s.dr6());
        var r = s.regs();
        b.putLong(RFLAGS, r.rflags());
        b.putLong(RIP, r.rip());
        b.putLong(RSP, r.rsp());
        b.putLong(RAX, r.rax());
        b.putLong(RCX, r.rcx());
        b.putLong(RDX, r.rdx());
        b.putLong(RBX, r.rbx());
        b.putLong(RBP, r.rbp());
        b.putLong(RSI, r.rsi());
        b.putLong(RDI, r.rdi());
        long[] high = {r.r8(), r.r9(), r.r10(), r.r11(), r.r12(), r.r13(), r.r14(), r.r15()};
        for (int i = 0; i < high.length; i++) {
            b.putLong(R8 + 8 * i, high[i]);
        }
        b.putLong(G_PAT, s.pat());
        b.putLong(SEV_FEATURES, sevFeatures);
        b.putLong(XCR0, s.xcr0());
        if (fpu) {
            fpu(b, s.fpu());
        }
        return b.array();
    }

    private static void fpu(ByteBuffer b, dev.vmm.core.kvm.Fpu f) {
        b.putLong(X87_DP, f.lastDp());
        b.putInt(MXCSR, f.mxcsr());
        b.putShort(X87_FTW, (short) f.ftwx());
        b.putShort(X87_FSW, (short) f.fsw());
        b.putShort(X87_FCW, (short) f.fcw());
        b.putShort(X87_FOP, (short) f.lastOpcode());
        b.putLong(X87_RIP, f.lastIp());
        byte[] st = f.fpr();
        for (int i = 0; i < 8; i++) {
            // ST(i) is 10 bytes: the low 8 in an 8-byte slot, the top 2 in a separate array.
            b.put(FPREG_X87 + 8 * i, st, 16 * i, 8);
            b.put(FPREG_X87 + 64 + 2 * i, st, 16 * i + 8, 2);
        }
        b.put(FPREG_XMM, f.xmm(), 0, 256);
    }

    private static void segment(ByteBuffer b, int at, Segment s) {
        int attrib = s.vmcbAttributes() & ~(s.unusable() ? 1 << 7 : 0);
        b.putShort(at, (short) s.selector());
        b.putShort(at + 2, (short) attrib);
        b.putInt(at + 4, s.limit());
        b.putLong(at + 8, s.base());
    }

    private static void table(ByteBuffer b, int at, DescriptorTable t) {
        b.putInt(at + 4, t.limit());
        b.putLong(at + 8, t.base());
    }
}
