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
 * What the host CPU says about memory encryption: the vendor and CPUID leaf 0x8000001F (AMD APM vol. 3,
 * "Encrypted Memory Capabilities"), from the first source that answers: the cpuid driver, KVM's
 * supported CPUID, or the flags of /proc/cpuinfo (bits only).
 *
 * @param leaf EAX, EBX, ECX, EDX of 0x8000001F, empty when no source has it
 * @param whyNoLeaf why {@code leaf} is empty
 * @param flags /proc/cpuinfo flags, used for the feature bits when the leaf cannot be read
 */
public record CpuFacts(String source, String vendor, Optional<int[]> leaf, String whyNoLeaf, Set<String> flags) {
    public static final int LEAF = 0x8000001F;
    static final int EXTENDED_MAX = 0x80000000;

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
                return new CpuFacts(source, vendor, Optional.empty(), String.format(
                        "CPUID 0x%08X is beyond the highest extended leaf 0x%08X of this %s CPU", LEAF, max, vendor),
                        Set.of());
            }
            return new CpuFacts(source, vendor, CpuidReader.cpuid(paths.cpuidDevice(), LEAF, 0), "", Set.of());
        }
        if (kvm != null) {
            List<CpuidEntry> supported = kvm.supportedCpuid();
            String vendor = supported.stream().filter(e -> e.function() == 0).findFirst()
                    .map(e -> CpuidReader.vendor(new int[] {e.eax(), e.ebx(), e.ecx(), e.edx()})).orElse("unknown");
            Optional<int[]> leaf = supported.stream().filter(e -> e.function() == LEAF).findFirst()
                    .map(e -> new int[] {e.eax(), e.ebx(), e.ecx(), e.edx()});
            return new CpuFacts("KVM_GET_SUPPORTED_CPUID (" + paths.cpuidDevice() + " unreadable: modprobe cpuid)",
                    vendor, leaf, leaf.isPresent() ? "" : String.format("KVM reports no CPUID 0x%08X", LEAF), Set.of());
        }
        return fromCpuinfo(paths.procCpuinfo());
    }

    private static CpuFacts fromCpuinfo(Path cpuinfo) {
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
            return new CpuFacts("none", vendor, Optional.empty(), cpuinfo + " unreadable: " + e.getMessage(), Set.of());
        }
        return new CpuFacts(cpuinfo + " flags", vendor, Optional.empty(),
                "no cpuid device and no KVM to read CPUID 0x8000001F from", flags);
    }
}
