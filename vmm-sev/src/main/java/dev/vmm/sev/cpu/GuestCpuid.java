package dev.vmm.sev.cpu;

import dev.vmm.core.arch.CpuidRanges;
import dev.vmm.core.arch.CpuidSetup;
import dev.vmm.core.arch.XsaveSubleaves;
import dev.vmm.core.kvm.CpuidEntry;
import dev.vmm.sev.SevMode;
import dev.vmm.sev.cpuid.SnpCpuidAdjust;
import dev.vmm.sev.cpuid.SnpCpuidTable;
import java.util.ArrayList;
import java.util.List;

/**
 * The CPUID a confidential guest gets for a CPU model, before the per-vCPU topology fields: the set
 * every vCPU is given with KVM_SET_CPUID2 and, for SNP, the set the CPUID page describes. It is built
 * from KVM_GET_SUPPORTED_CPUID the way QEMU builds {@code -cpu MODEL} on KVM:
 * <ol>
 * <li>leaf 1 EAX is the model's signature (it is also in every VMSA);</li>
 * <li>the basic and extended ranges end at the model's level and xlevel. A confidential guest's xlevel is
 * at least 0x8000001F, the leaf that describes memory encryption (QEMU raises cpuid_min_xlevel for
 * SEV the same way);</li>
 * <li>leaf 0xD has subleaves only for the XSAVE components the guest can enable;</li>
 * <li>for SNP, the bits the firmware refuses are cleared ({@link SnpCpuidAdjust}).</li>
 * </ol>
 */
public final class GuestCpuid {
    /** CPUID Fn8000_001F: SME/SEV capabilities, C-bit position, number of encrypted guests. */
    static final int LEAF_MEMORY_ENCRYPTION = 0x8000001f;

    private final List<CpuidEntry> entries;

    private GuestCpuid(List<CpuidEntry> entries) {
        this.entries = List.copyOf(entries);
    }

    public static GuestCpuid of(CpuModel model, SevMode mode, List<CpuidEntry> supported) {
        List<CpuidEntry> signed = new ArrayList<>(supported.size());
        for (CpuidEntry e : supported) {
            signed.add(e.function() == 1 ? e.withEax(model.signature()) : e);
        }
        int xlevel = Integer.compareUnsigned(model.xlevel(), LEAF_MEMORY_ENCRYPTION) >= 0 ? model.xlevel()
                : LEAF_MEMORY_ENCRYPTION;
        List<CpuidEntry> cpuid = XsaveSubleaves.trim(CpuidRanges.limit(signed, model.level(), xlevel));
        return new GuestCpuid(mode == SevMode.SEV_SNP ? SnpCpuidAdjust.apply(cpuid) : cpuid);
    }

    /** The leaves before the per-vCPU topology fields. */
    public List<CpuidEntry> entries() {
        return entries;
    }

    /** What vCPU {@code index} of {@code cpus} gets with KVM_SET_CPUID2. */
    public List<CpuidEntry> forVcpu(int index, int cpus) {
        return CpuidSetup.forVcpu(entries, index, cpus);
    }

    /**
     * The SNP CPUID page: the BSP's CPUID, as QEMU takes the first vCPU's. Each vCPU's APIC ID fields
     * differ; the guest asks the hypervisor for those (Linux's snp_cpuid_postprocess).
     *
     * @throws dev.vmm.sev.cpuid.CpuidPageOverflowException with more non-zero leaves than the page holds
     */
    public SnpCpuidTable snpTable(int cpus) {
        return SnpCpuidTable.fromCpuid(forVcpu(0, cpus));
    }
}
