package dev.vmm.sev.cpuid;

import dev.vmm.core.kvm.CpuidEntry;
import java.util.ArrayList;
import java.util.List;

/**
 * CPUID bits an SNP guest must not see, because the firmware refuses them in the CPUID page or the
 * guest cannot use them: the list QEMU applies to SNP guests (sev_snp_adjust_cpuid_features).
 */
public final class SnpCpuidAdjust {
    static final int LEAF1_ECX_TSC_DEADLINE = 1 << 24;
    static final int LEAF7_EBX_TSC_ADJUST = 1 << 1;
    static final int LEAF7_EDX_REFUSED = 1 << 26 | 1 << 27 | 1 << 28 | 1 << 29 | 1 << 30 | 1 << 31;   // SPEC_CTRL,
            // STIBP, FLUSH_L1D, ARCH_CAPABILITIES, CORE_CAPABILITY, SSBD
    static final int LEAF_80000008_EBX_VIRT_SSBD = 1 << 25;

    private SnpCpuidAdjust() {}

    public static List<CpuidEntry> apply(List<CpuidEntry> cpuid) {
        List<CpuidEntry> out = new ArrayList<>(cpuid.size());
        for (CpuidEntry e : cpuid) {
            out.add(adjust(e));
        }
        return out;
    }

    static CpuidEntry adjust(CpuidEntry e) {
        return switch (e.function()) {
            case 0x1 -> e.withEcx(e.ecx() & ~LEAF1_ECX_TSC_DEADLINE);
            case 0x7 -> e.index() != 0 ? e : e.withEbx(e.ebx() & ~LEAF7_EBX_TSC_ADJUST).withEdx(e.edx() & ~LEAF7_EDX_REFUSED);
            case 0x80000008 -> e.withEbx(e.ebx() & ~LEAF_80000008_EBX_VIRT_SSBD);
            default -> e;
        };
    }

    /** Whether {@code e} still has a bit this list removes: what the simulated firmware refuses. */
    public static boolean hasRefusedBits(int function, int index, int ebx, int ecx, int edx) {
        return switch (function) {
            case 0x1 -> (ecx & LEAF1_ECX_TSC_DEADLINE) != 0;
            case 0x7 -> index == 0 && ((ebx & LEAF7_EBX_TSC_ADJUST) != 0 || (edx & LEAF7_EDX_REFUSED) != 0);
            case 0x80000008 -> (ebx & LEAF_80000008_EBX_VIRT_SSBD) != 0;
            default -> false;
        };
    }
}
