package dev.vmm.core.arch;

import dev.vmm.core.kvm.CpuidEntry;
import java.util.ArrayList;
import java.util.List;

/**
 * The CPUID a vCPU gets: what KVM supports, with the per-vCPU topology fields that KVM leaves to the
 * VMM filled in the way QEMU fills them (one core per socket, APIC ID = vCPU index).
 */
public final class CpuidSetup {
    private static final int LEAF_FEATURES = 0x1;
    private static final int LEAF_EXT_TOPOLOGY = 0xb;
    private static final int LEAF_V2_EXT_TOPOLOGY = 0x1f;
    private static final int LEAF_AMD_TOPOLOGY = 0x8000001e;
    /** CPUID.1:EDX.HTT: EBX[23:16] holds a valid logical-processor count. */
    private static final int EDX_HTT = 1 << 28;

    private CpuidSetup() {}

    public static List<CpuidEntry> forVcpu(List<CpuidEntry> supported, int apicId, int cpuCount) {
        List<CpuidEntry> out = new ArrayList<>(supported.size());
        for (CpuidEntry e : supported) {
            out.add(switch (e.function()) {
                case LEAF_FEATURES -> {
                    int ebx = e.ebx() & 0x0000ffff | (apicId & 0xff) << 24;
                    int edx = e.edx();
                    if (cpuCount > 1) {
                        ebx |= Math.min(cpuCount, 0xff) << 16;
                        edx |= EDX_HTT;
                    } else {
                        edx &= ~EDX_HTT;
                    }
                    yield new CpuidEntry(e.function(), e.index(), e.flags(), e.eax(), ebx, e.ecx(), edx);
                }
                case LEAF_EXT_TOPOLOGY, LEAF_V2_EXT_TOPOLOGY -> e.withEdx(apicId);
                case LEAF_AMD_TOPOLOGY -> e.withEax(apicId);
                default -> e;
            });
        }
        return out;
    }
}
