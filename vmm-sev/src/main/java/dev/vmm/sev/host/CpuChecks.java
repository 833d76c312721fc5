package dev.vmm.sev.host;

import dev.vmm.sev.host.CpuFacts.Origin;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The CPU lines of {@code vmm host check}: vendor, CPUID 0x8000001F's feature bits, C-bit and ASIDs,
 * each read as far as its source allows. Only the cpuid driver gives the CPU's own bits; KVM's supported
 * CPUID and /proc/cpuinfo give KVM's and the kernel's view, so a bit they clear is not held against the
 * CPU, and each line names where its fact came from.
 */
final class CpuChecks {
    static final String BIOS_HINT = "enable SMEE, SEV-SNP and the RMP table in the BIOS of an AMD EPYC "
            + "(Milan or later) host";
    private static final String NOT_AMD_HINT = "SEV-SNP needs an AMD EPYC (Milan or later) host";
    /** SNP needs memory encryption enabled (SYSCFG MemEncryptionModEn), not SME in use by the host kernel. */
    private static final String SME_NOTE = "informational: SNP needs SYSCFG MemEncryptionModEn, checked below, "
            + "not SME";
    private static final String READ_THE_CPU = "modprobe cpuid (as root) to read the CPU's own bit";

    private record Feature(int bit, String flag, String name, String kvmParameter) {}

    private static final List<Feature> REQUIRED = List.of(new Feature(1, "sev", "SEV", "sev"),
            new Feature(3, "sev_es", "SEV-ES", "sev_es"), new Feature(4, "sev_snp", "SEV-SNP", "sev_snp"));

    private CpuChecks() {}

    static List<HostCheck> of(CpuFacts cpu) {
        List<HostCheck> checks = new ArrayList<>();
        boolean amd = cpu.vendor().equals("AuthenticAMD");
        checks.add(amd ? HostCheck.pass("CPU vendor", "AuthenticAMD (" + cpu.source() + ")", true)
                : HostCheck.fail("CPU vendor", cpu.vendor() + " (" + cpu.source() + "): SEV is an AMD feature", NOT_AMD_HINT,
                        true));
        String hint = amd ? BIOS_HINT : NOT_AMD_HINT;
        checks.add(sme(cpu));
        for (Feature f : REQUIRED) {
            checks.add(feature(cpu, f, hint));
        }
        if (cpu.kvmSevOff()) {
            String why = "KVM_GET_SUPPORTED_CPUID reports CPUID 0x8000001F as all zero: kvm_amd's sev is off, so KVM "
                    + "says nothing of the CPU (" + READ_THE_CPU.replace(" bit", " leaf") + ")";
            checks.add(HostCheck.skip("C-bit position", why, true));
            checks.add(HostCheck.skip("Encrypted guests", why, true));
            return checks;
        }
        if (cpu.leaf().isEmpty()) {
            checks.add(HostCheck.skip("C-bit position", "needs CPUID 0x8000001F: " + cpu.whyNoLeaf(), true));
            checks.add(HostCheck.skip("Encrypted guests", "needs CPUID 0x8000001F: " + cpu.whyNoLeaf(), true));
            return checks;
        }
        int[] r = cpu.leaf().get();
        int cbit = r[1] & 0x3f;
        // KVM zeroes EBX[11:6] (it reports the reduced MAXPHYADDR in 0x80000008 instead): not the CPU's value.
        String reduction = cpu.origin() == Origin.CPUID_DEVICE
                ? ", physical address space reduced by " + (r[1] >>> 6 & 0x3f) + " bits (EBX)"
                : " (EBX, " + cpu.source() + ", which does not show the address space reduction)";
        checks.add(cbit != 0 ? HostCheck.pass("C-bit position", "bit " + cbit + reduction, true)
                : HostCheck.fail("C-bit position", "EBX reports no C-bit (" + cpu.source() + ")", BIOS_HINT, true));
        long guests = Integer.toUnsignedLong(r[2]);
        long minSevAsid = Integer.toUnsignedLong(r[3]);
        if (guests == 0 || minSevAsid <= 1) {
            checks.add(HostCheck.fail("Encrypted guests", guests + " simultaneous encrypted guests (ECX), minimum SEV ASID "
                    + minSevAsid + " (EDX): no ASID is left for SEV-ES and SNP guests",
                    "raise 'SEV-ES ASID Space Limit' in the BIOS above 1", true));
        } else {
            checks.add(HostCheck.pass("Encrypted guests", guests + " simultaneous encrypted guests (ECX); SEV-ES/SNP ASIDs 1.."
                    + (minSevAsid - 1) + ", SEV ASIDs " + minSevAsid + ".." + guests + " (EDX)", true));
        }
        return checks;
    }

    /** SME support: informational whatever the source, as SNP does not need the host to use SME. */
    private static HostCheck sme(CpuFacts cpu) {
        String name = "CPUID SME";
        return switch (cpu.origin()) {
            case CPUID_DEVICE -> cpu.leaf().isEmpty() ? HostCheck.skip(name, cpu.whyNoLeaf() + " (" + SME_NOTE + ")", false)
                    : cpu.eaxBit(0, "sme").orElseThrow()
                    ? HostCheck.pass(name, "CPUID 0x8000001F EAX bit 0 set (" + cpu.source() + ")", false)
                    : HostCheck.skip(name, "CPUID 0x8000001F EAX bit 0 clear (" + cpu.source() + "; " + SME_NOTE + ")", false);
            case KVM_SUPPORTED_CPUID -> HostCheck.skip(name, "KVM_GET_SUPPORTED_CPUID always reports SME (EAX bit 0) as 0: "
                    + "KVM does not offer SME to guests (" + SME_NOTE + ")", false);
            case CPUINFO_FLAGS -> cpu.flags().contains("sme")
                    ? HostCheck.pass(name, "/proc/cpuinfo flag 'sme': the kernel has SME active", false)
                    : HostCheck.skip(name, "no /proc/cpuinfo flag 'sme': the kernel shows it only when it activated SME "
                    + "itself (mem_encrypt=on), so this says nothing of the CPU (" + SME_NOTE + ")", false);
            case NONE -> HostCheck.skip(name, cpu.whyNoLeaf(), false);
        };
    }

    private static HostCheck feature(CpuFacts cpu, Feature f, String hint) {
        String name = "CPUID " + f.name();
        Optional<Boolean> on = cpu.eaxBit(f.bit(), f.flag());
        String bit = "CPUID 0x8000001F EAX bit " + f.bit();
        return switch (cpu.origin()) {
            case CPUID_DEVICE -> on.isEmpty() ? HostCheck.fail(name, cpu.whyNoLeaf(), hint, true)
                    : on.get() ? HostCheck.pass(name, bit + " set (" + cpu.source() + ")", true)
                    : HostCheck.fail(name, bit + " clear (" + cpu.source() + ")", hint, true);
            case KVM_SUPPORTED_CPUID -> {
                if (on.isEmpty()) {
                    yield HostCheck.fail(name, cpu.whyNoLeaf() + " (" + cpu.source() + ")", hint, true);
                }
                if (cpu.kvmSevOff()) {
                    yield HostCheck.skip(name, "unknown: KVM_GET_SUPPORTED_CPUID reports CPUID 0x8000001F as all zero "
                            + "because kvm_amd's sev is off, not because of the CPU (" + READ_THE_CPU + ")", true);
                }
                yield on.get()
                        ? HostCheck.pass(name, bit + " set in KVM_GET_SUPPORTED_CPUID: the CPU has it and kvm_amd."
                        + f.kvmParameter() + " is on", true)
                        : HostCheck.skip(name, bit + " clear in KVM_GET_SUPPORTED_CPUID: that follows kvm_amd."
                        + f.kvmParameter() + " (checked below), not only the CPU (" + READ_THE_CPU + ")", true);
            }
            case CPUINFO_FLAGS -> on.isEmpty() ? HostCheck.skip(name, "no flags in /proc/cpuinfo; " + cpu.whyNoLeaf(), true)
                    : on.get() ? HostCheck.pass(name, "/proc/cpuinfo flag '" + f.flag() + "' (the kernel's view)", true)
                    : HostCheck.fail(name, "no /proc/cpuinfo flag '" + f.flag() + "': the kernel has not enabled " + f.name()
                    + " (the CPU lacks it or the BIOS leaves it off; " + cpu.whyNoLeaf() + ")", hint, true);
            case NONE -> HostCheck.skip(name, cpu.whyNoLeaf(), true);
        };
    }
}
