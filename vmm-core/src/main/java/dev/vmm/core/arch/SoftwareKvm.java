package dev.vmm.core.arch;

import dev.vmm.core.abi.CName;
import dev.vmm.core.kvm.CpuidEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A KVM without hardware virtualization (kvm_pvm, say) runs every guest instruction through its
 * instruction emulator, which has no VEX-encoded instructions (AVX, BMI), no CMPXCHG16B and no XSAVE
 * family (../shared/docs/linux-guest.md). A guest kernel picks those from CPUID, so on such a KVM the
 * guest is told it has none of them, as QEMU's {@code -cpu host,-cx16,-xsave,...} would. With
 * hardware virtualization (kvm_intel, kvm_amd) nothing here applies.
 */
public final class SoftwareKvm {
    static final Path SYS_MODULE = Path.of("/sys/module");
    /** CPUID.1:ECX: FMA, CX16, XSAVE, OSXSAVE, AVX, F16C. */
    static final int LEAF1_ECX_HIDDEN = 1 << 12 | 1 << 13 | 1 << 26 | 1 << 27 | 1 << 28 | 1 << 29;
    /**
     * CPUID.7.0:EBX: BMI1, AVX2, BMI2, and the AVX-512 family (F, DQ, IFMA, PF, ER, CD, BW, VL); ECX:
     * AVX512_VBMI, VBMI2, VAES, VPCLMULQDQ, VNNI, BITALG, VPOPCNTDQ; EDX: AVX512_4VNNIW, 4FMAPS,
     * VP2INTERSECT, AVX512_FP16, AMX (BF16, TILE, INT8).
     */
    static final int LEAF7_EBX_HIDDEN = 1 << 3 | 1 << 5 | 1 << 8 | 1 << 16 | 1 << 17 | 1 << 21 | 1 << 26 | 1 << 27
            | 1 << 28 | 1 << 30 | 1 << 31;
    static final int LEAF7_ECX_HIDDEN = 1 << 1 | 1 << 6 | 1 << 9 | 1 << 10 | 1 << 11 | 1 << 12 | 1 << 14;
    static final int LEAF7_EDX_HIDDEN = 1 << 2 | 1 << 3 | 1 << 8 | 1 << 22 | 1 << 23 | 1 << 24;
    /** CPUID.7.1:EAX: AVX-VNNI, AVX512_BF16. */
    static final int LEAF7_1_EAX_HIDDEN = 1 << 4 | 1 << 5;

    /** KVM's CPUID leaf of paravirtual features, and the bit (a bit number in kvm_para.h) of PV_UNHALT. */
    @CName("KVM_CPUID_FEATURES") static final int KVM_CPUID_FEATURES = 0x40000001;
    @CName("KVM_FEATURE_PV_UNHALT") static final int KVM_FEATURE_PV_UNHALT = 7;

    private SoftwareKvm() {}

    /** Whether this host's KVM has no hardware virtualization behind it: neither kvm_intel nor kvm_amd. */
    public static boolean detect() {
        return detect(SYS_MODULE);
    }

    static boolean detect(Path sysModule) {
        return !Files.exists(sysModule.resolve("kvm_intel")) && !Files.exists(sysModule.resolve("kvm_amd"));
    }

    /**
     * {@code cpuid} without the features the instruction emulator cannot run; the XSAVE leaf goes too.
     * And without PV_UNHALT: seen here (kvm_pvm, 2026-12-03), Linux's paravirtual spinlock left one
     * vCPU halted for good while the other sat in KVM_HC_KICK_CPU, its VMCALL never retiring; without
     * the bit Linux spins natively (QEMU's named CPU models leave it off too).
     */
    public static List<CpuidEntry> withoutUnemulatable(List<CpuidEntry> cpuid) {
        List<CpuidEntry> out = new ArrayList<>(cpuid.size());
        for (CpuidEntry e : cpuid) {
            switch (e.function()) {
                case 0x1 -> out.add(e.withEcx(e.ecx() & ~LEAF1_ECX_HIDDEN));
                case 0x7 -> out.add(e.index() == 0
                        ? e.withEbx(e.ebx() & ~LEAF7_EBX_HIDDEN).withEcx(e.ecx() & ~LEAF7_ECX_HIDDEN)
                                .withEdx(e.edx() & ~LEAF7_EDX_HIDDEN)
                        : e.index() == 1 ? e.withEax(e.eax() & ~LEAF7_1_EAX_HIDDEN) : e);
                case XsaveSubleaves.LEAF -> out.add(new CpuidEntry(e.function(), e.index(), e.flags(), 0, 0, 0, 0));
                case KVM_CPUID_FEATURES -> out.add(e.withEax(e.eax() & ~(1 << KVM_FEATURE_PV_UNHALT)));
                default -> out.add(e);
            }
        }
        return out;
    }
}
