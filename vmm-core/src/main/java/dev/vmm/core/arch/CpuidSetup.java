package dev.vmm.core.arch;

import dev.vmm.core.kvm.CpuidEntry;
import java.util.ArrayList;
import java.util.List;

/**
 * The CPUID a vCPU gets: what KVM supports, with the topology KVM leaves to the VMM made QEMU's for
 * {@code -smp N}: N sockets of one core with one thread, APIC ID = vCPU index. KVM passes the host's
 * topology leaves through (its cache leaves count the host's cores); left so, they contradict the
 * guest's own leaf 1 and MADT, and Linux derives absurd domain sizes from them. So every leaf that
 * describes topology is rewritten the way QEMU's cpu_x86_cpuid writes it for that shape.
 */
public final class CpuidSetup {
    private static final int LEAF_FEATURES = 0x1;
    private static final int LEAF_CACHE_PARAMETERS = 0x4;
    private static final int LEAF_EXT_TOPOLOGY = 0xb;
    private static final int LEAF_V2_EXT_TOPOLOGY = 0x1f;
    private static final int LEAF_AMD_FEATURES = 0x80000001;
    private static final int LEAF_AMD_SIZES = 0x80000008;
    private static final int LEAF_AMD_CACHE_TOPOLOGY = 0x8000001d;
    private static final int LEAF_AMD_TOPOLOGY = 0x8000001e;
    private static final int LEAF_AMD_EXT_TOPOLOGY = 0x80000026;
    /** CPUID.1:EDX.HTT: EBX[23:16] holds a valid logical-processor count. */
    private static final int EDX_HTT = 1 << 28;
    /** CPUID.80000001:ECX.CmpLegacy: more than one core per package (AMD). */
    private static final int ECX_CMP_LEGACY = 1 << 1;
    /** Leaf 4 / 0x8000001D EAX: cores per package - 1 (31:26), logical processors sharing the cache - 1 (25:14). */
    private static final int CACHE_COUNTS = 0xfc000000 | 0x03ffc000;
    /** Leaf 0xB / 0x1F ECX[15:8] level types. */
    private static final int LEVEL_SMT = 1;
    private static final int LEVEL_CORE = 2;

    private CpuidSetup() {}

    /** @param cpuCount the VM's vCPUs (one package each: the topology says so whatever the count) */
    public static List<CpuidEntry> forVcpu(List<CpuidEntry> supported, int apicId, int cpuCount) {
        List<CpuidEntry> out = new ArrayList<>(supported.size());
        for (CpuidEntry e : supported) {
            out.add(switch (e.function()) {
                // APIC ID in 31:24; one logical processor per package, so no HTT.
                case LEAF_FEATURES -> new CpuidEntry(e.function(), e.index(), e.flags(), e.eax(),
                        e.ebx() & 0x0000ffff | (apicId & 0xff) << 24, e.ecx(), e.edx() & ~EDX_HTT);
                case LEAF_CACHE_PARAMETERS, LEAF_AMD_CACHE_TOPOLOGY -> e.withEax(e.eax() & ~CACHE_COUNTS);
                case LEAF_EXT_TOPOLOGY, LEAF_V2_EXT_TOPOLOGY -> extendedTopology(e, apicId);
                case LEAF_AMD_FEATURES -> e.withEcx(e.ecx() & ~ECX_CMP_LEGACY);
                // ECX: NC (cores - 1) in 7:0 and ApicIdSize in 15:12, both 0 for one core.
                case LEAF_AMD_SIZES -> e.withEcx(e.ecx() & ~0xf0ff);
                // Extended APIC ID; compute unit 0 with one thread; node 0.
                case LEAF_AMD_TOPOLOGY -> new CpuidEntry(e.function(), e.index(), e.flags(), apicId, 0, 0, 0);
                // AMD's extended topology (Zen 4+) would describe the host's; QEMU offers none by default.
                case LEAF_AMD_EXT_TOPOLOGY -> new CpuidEntry(e.function(), e.index(), e.flags(), 0, 0, 0, 0);
                default -> e;
            });
        }
        return out;
    }

    /** Subleaf 0 the SMT level, 1 the core level, both of one (no APIC ID bits), then the invalid level. */
    private static CpuidEntry extendedTopology(CpuidEntry e, int apicId) {
        int level = e.index() & 0xff;
        return switch (level) {
            case 0 -> new CpuidEntry(e.function(), e.index(), e.flags(), 0, 1, LEVEL_SMT << 8, apicId);
            case 1 -> new CpuidEntry(e.function(), e.index(), e.flags(), 0, 1, LEVEL_CORE << 8 | 1, apicId);
            default -> new CpuidEntry(e.function(), e.index(), e.flags(), 0, 0, level, apicId);
        };
    }
}
