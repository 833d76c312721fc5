package dev.vmm.sev.host;

import dev.vmm.core.kvm.CpuidEntry;
import dev.vmm.core.kvm.Kvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the host says about memory encryption: the vendor and CPUID leaf 0x8000001F (AMD APM vol. 3,
 * "Encrypted Memory Capabilities"), from the first source that answers: the cpuid driver, KVM's
 * supported CPUID, or the flags of /proc/cpuinfo (bits only). Only the first is the CPU's own word;
 * {@link Origin} says what the others hide.
 *
 * @param source the source for messages, e.g. {@code CPUID via /dev/cpu/0/cpuid}
 * @param leaf EAX, EBX, ECX, EDX of 0x8000001F, empty when the source has no such leaf
 * @param whyNoLeaf why {@code leaf} is empty
 * @param flags /proc/cpuinfo flags, used for the feature bits when the leaf cannot be read
 */
public record CpuFacts(Origin origin, String source, String vendor, Optional<int[]> leaf, String whyNoLeaf,
                       Set<String> flags) {
    public static final int LEAF = 0x8000001F;
    static final int EXTENDED_MAX = 0x80000000;

    public enum Origin {
        /** The CPU's own CPUID, read through the cpuid driver. */
        CPUID_DEVICE,
        /**
         * KVM_GET_SUPPORTED_CPUID: what KVM offers guests, not what the CPU has. For 0x8000001F (Linux
         * 6.12 arch/x86/kvm/cpuid.c): all zero unless kvm_amd's {@code sev} is on; EAX's SME bit always
         * 0, its SEV, SEV-ES and SEV-SNP bits set only as kvm_amd's {@code sev}, {@code sev_es},
         * {@code sev_snp} are; EBX's address-space reduction (11:6) and VMPL count (31:12) zeroed; ECX
         * and EDX the CPU's.
         */
        KVM_SUPPORTED_CPUID,
        /**
         * /proc/cpuinfo flags: the kernel's view. It clears {@code sme} unless it activated SME itself
         * (early_detect_mem_encrypt), which SNP hosts need not do, and the SEV flags when the BIOS has
         * memory encryption off.
         */
        CPUINFO_FLAGS,
        /** No source answered. */
        NONE
    }

    /** Whether KVM's leaf is all zero: kvm_amd's {@code sev} is off, and KVM says nothing of the CPU. */
    public boolean kvmSevOff() {
        return origin == Origin.KVM_SUPPORTED_CPUID && leaf.isPresent() && Arrays.stream(leaf.get()).allMatch(r -> r == 0);
    }

    /** A feature bit of EAX, or of the cpuinfo flag of that name when only the flags are known. */
    public Optional<Boolean> eaxBit(int bit, String cpuinfoFlag) {
        if (leaf.isPresent()) {
            return Optional.of((leaf.get()[0] >>> bit & 1) != 0);
        }
        return flags.isEmpty() ? Optional.empty() : Optional.of(flags.contains(cpuinfoFlag));
    }

    static CpuFacts probe(HostPaths paths, Kvm kvm) {
        Optional<int[]> leaf0 = CpuidReader.cpuid(paths.cpuidDevice(), 0, 0);
        if (leaf0.isPresent()) {
            String vendor = CpuidReader.vendor(leaf0.get());
            int max = CpuidReader.cpuid(paths.cpuidDevice(), EXTENDED_MAX, 0).map(r -> r[0]).orElse(0);
            String source = "CPUID via " + paths.cpuidDevice();
            if (Integer.compareUnsigned(max, LEAF) < 0) {
                return new CpuFacts(Origin.CPUID_DEVICE, source, vendor, Optional.empty(), String.format(
                        "CPUID 0x%08X is beyond the highest extended leaf 0x%08X of this %s CPU", LEAF, max, vendor),
                        Set.of());
            }
            return new CpuFacts(Origin.CPUID_DEVICE, source, vendor, CpuidReader.cpuid(paths.cpuidDevice(), LEAF, 0), "",
                    Set.of());
        }
        if (kvm != null) {
            return fromKvm(kvm.supportedCpuid(), paths.cpuidDevice());
        }
        return fromCpuinfo(paths.procCpuinfo());
    }

    /** The facts in KVM_GET_SUPPORTED_CPUID's answer, taken because {@code cpuidDevice} could not be read. */
    static CpuFacts fromKvm(List<CpuidEntry> supported, Path cpuidDevice) {
        String vendor = supported.stream().filter(e -> e.function() == 0).findFirst()
                .map(e -> CpuidReader.vendor(new int[] {e.eax(), e.ebx(), e.ecx(), e.edx()})).orElse("unknown");
        Optional<int[]> leaf = supported.stream().filter(e -> e.function() == LEAF).findFirst()
                .map(e -> new int[] {e.eax(), e.ebx(), e.ecx(), e.edx()});
        return new CpuFacts(Origin.KVM_SUPPORTED_CPUID, "KVM_GET_SUPPORTED_CPUID, " + cpuidDevice
                + " unreadable (modprobe cpuid)", vendor, leaf,
                leaf.isPresent() ? "" : String.format("KVM reports no CPUID 0x%08X: the CPU has no such leaf", LEAF),
                Set.of());
    }

    static CpuFacts fromCpuinfo(Path cpuinfo) {
        String vendor = "unknown";
        Set<String> flags = Set.of();
        try {
            for (String line : Files.readAllLines(cpuinfo)) {
                if (line.startsWith("vendor_id") && vendor.equals("unknown")) {
                    vendor = line.substring(line.indexOf(':') + 1).trim();
                } else if (line.startsWith("flags") && flags.isEmpty()) {
                    flags = Arrays.stream(line.substring(line.indexOf(':') + 1).trim().split("\\s+"))
                            .collect(Collectors.toSet());
                }
            }
        } catch (IOException e) {
            return new CpuFacts(Origin.NONE, "none", vendor, Optional.empty(), cpuinfo + " unreadable: " + e.getMessage(),
                    Set.of());
        }
        return new CpuFacts(Origin.CPUINFO_FLAGS, cpuinfo + " flags", vendor, Optional.empty(),
                "no cpuid device and no KVM to read CPUID 0x8000001F from", flags);
    }
}
