package dev.vmm.core.arch;

import dev.vmm.core.kvm.CpuidEntry;
import java.util.ArrayList;
import java.util.List;

/**
 * A guest's CPUID cut to a CPU model's highest basic and extended leaves (QEMU's {@code level} and
 * {@code xlevel}). KVM_GET_SUPPORTED_CPUID offers every leaf the host has; a model promises fewer, and
 * leaves 0 and 0x80000000 then report the new maximum, so the guest never asks past it.
 */
public final class CpuidRanges {
    public static final int BASIC = 0;
    public static final int HYPERVISOR = 0x40000000;
    private static final int HYPERVISOR_END = 0x4fffffff;
    public static final int EXTENDED = 0x80000000;
    /** No limit: the host's own maximum stays (for {@code -cpu host}). */
    public static final int UNLIMITED = 0xffffffff;

    private CpuidRanges() {}

    /**
     * The leaves up to {@code maxBasic} and {@code maxExtended} (compared unsigned, each also capped by
     * what the host reports), and KVM's hypervisor leaves. Any other range (Centaur's 0xC0000000) is
     * dropped unless both limits are {@link #UNLIMITED}: the models we name have none.
     */
    public static List<CpuidEntry> limit(List<CpuidEntry> cpuid, int maxBasic, int maxExtended) {
        if (maxBasic == UNLIMITED && maxExtended == UNLIMITED) {
            return List.copyOf(cpuid);
        }
        int basic = umin(max(cpuid, BASIC), maxBasic);
        int extended = umin(max(cpuid, EXTENDED), maxExtended);
        List<CpuidEntry> out = new ArrayList<>(cpuid.size());
        for (CpuidEntry e : cpuid) {
            int f = e.function();
            if (f == BASIC) {
                out.add(e.withEax(basic));
            } else if (f == EXTENDED) {
                out.add(e.withEax(extended));
            } else if (Integer.compareUnsigned(f, basic) <= 0
                    || Integer.compareUnsigned(f, HYPERVISOR) >= 0 && Integer.compareUnsigned(f, HYPERVISOR_END) <= 0
                    || Integer.compareUnsigned(f, EXTENDED) > 0 && Integer.compareUnsigned(f, extended) <= 0) {
                out.add(e);
            }
        }
        return out;
    }

    /** The maximum leaf of the range starting at {@code base} (its EAX), or the base if it is absent. */
    public static int max(List<CpuidEntry> cpuid, int base) {
        return cpuid.stream().filter(e -> e.function() == base).findFirst().map(CpuidEntry::eax).orElse(base);
    }

    private static int umin(int a, int b) {
        return Integer.compareUnsigned(a, b) <= 0 ? a : b;
    }
}
