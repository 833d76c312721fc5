package dev.vmm.sev.host;

import dev.vmm.core.kvm.Kvm;
import dev.vmm.core.kvm.KvmUnavailableException;
import dev.vmm.sev.SevMode;
import dev.vmm.sev.launch.SevHostSupport;
import dev.vmm.sev.platform.DevSevDevice;
import dev.vmm.sev.platform.DevSevPlatform;
import dev.vmm.sev.platform.PlatformException;
import dev.vmm.sev.platform.PlatformStatus;
import dev.vmm.sev.platform.SevPlatform;
import dev.vmm.sev.platform.SnpPlatformStatus;
import dev.vmm.sev.psp.PspException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code vmm host check}: whether this host can launch SEV-SNP guests, piece by piece, as snphost's and
 * sevctl's {@code ok} check it: the CPU (CPUID 0x8000001F), the firmware's enablement (SYSCFG MSR), KVM
 * (kvm_amd and its parameters, the SNP VM type), the SEV firmware ({@code /dev/sev}, SNP platform status)
 * and the RMP table.
 */
public final class HostReadiness {
    /** SYSCFG (AMD APM vol. 2) and its memory encryption bits. */
    static final long MSR_SYSCFG = 0xC0010010L;
    static final int SYSCFG_MEM_ENCRYPTION_MOD_EN = 23;
    static final int SYSCFG_SNP_EN = 24;
    static final long MSR_RMP_BASE = 0xC0010132L;
    static final long MSR_RMP_END = 0xC0010133L;

    private static final String BIOS_HINT = "enable SMEE, SEV-SNP and the RMP table in the BIOS of an AMD EPYC "
            + "(Milan or later) host";

    private final HostPaths paths;

    public HostReadiness(HostPaths paths) {
        this.paths = paths;
    }

    /** Every check, in the order of the output. */
    public List<HostCheck> run() {
        List<HostCheck> checks = new ArrayList<>();
        Kvm kvm = null;
        String kvmProblem = null;
        try {
            kvm = Kvm.open(paths.kvmDevice().toString());
        } catch (KvmUnavailableException e) {
            kvmProblem = e.getMessage();
        }
        try {
            CpuFacts cpu = CpuFacts.probe(paths, kvm);
            cpuChecks(cpu, checks);
            msrChecks(checks);
            kvmChecks(kvm, kvmProblem, checks);
            Optional<SnpPlatformStatus> snp = firmwareChecks(checks);
            checks.add(rmpCheck(snp));
        } finally {
            if (kvm != null) {
                kvm.close();
            }
        }
        return checks;
    }

    /** Whether SNP guests can be launched: no required check failed. */
    public static boolean snpLaunchable(List<HostCheck> checks) {
        return checks.stream().noneMatch(HostCheck::blocksSnp);
    }

    private void cpuChecks(CpuFacts cpu, List<HostCheck> checks) {
        boolean amd = cpu.vendor().equals("AuthenticAMD");
        checks.add(amd ? HostCheck.pass("CPU vendor", "AuthenticAMD (" + cpu.source() + ")", true)
                : HostCheck.fail("CPU vendor", cpu.vendor() + " (" + cpu.source() + "): SEV is an AMD feature",
                        "SEV-SNP needs an AMD EPYC (Milan or later) host", true));
        String[][] bits = {{"0", "sme", "SME"}, {"1", "sev", "SEV"}, {"3", "sev_es", "SEV-ES"}, {"4", "sev_snp", "SEV-SNP"}};
        for (String[] b : bits) {
            String name = "CPUID " + b[2];
            Optional<Boolean> on = cpu.eaxBit(Integer.parseInt(b[0]), b[1]);
            String where = cpu.leaf().isPresent() ? "CPUID 0x8000001F EAX bit " + b[0]
                    : "/proc/cpuinfo flag '" + b[1] + "'";
            if (on.isEmpty()) {
                checks.add(HostCheck.fail(name, cpu.whyNoLeaf(), amd ? BIOS_HINT : "SEV-SNP needs an AMD EPYC host", true));
            } else if (on.get()) {
                checks.add(HostCheck.pass(name, where + " set", true));
            } else {
                checks.add(HostCheck.fail(name, where + " clear" + (cpu.leaf().isEmpty() ? " (" + cpu.whyNoLeaf() + ")" : ""),
                        amd ? BIOS_HINT : "SEV-SNP needs an AMD EPYC host", true));
            }
        }
        if (cpu.leaf().isEmpty()) {
            checks.add(HostCheck.skip("C-bit position", "needs CPUID 0x8000001F: " + cpu.whyNoLeaf(), true));
            checks.add(HostCheck.skip("Encrypted guests", "needs CPUID 0x8000001F: " + cpu.whyNoLeaf(), true));
            return;
        }
        int[] r = cpu.leaf().get();
        int cbit = r[1] & 0x3f;
        int reduction = r[1] >>> 6 & 0x3f;
        checks.add(cbit != 0 ? HostCheck.pass("C-bit position", "bit " + cbit + ", physical address space reduced by "
                + reduction + " bits (EBX)", true)
                : HostCheck.fail("C-bit position", "EBX reports no C-bit", BIOS_HINT, true));
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
    }

    private void msrChecks(List<HostCheck> checks) {
        Optional<Long> syscfg = CpuidReader.msr(paths.msrDevice(), MSR_SYSCFG);
        if (syscfg.isEmpty()) {
            String why = msrUnavailable();
            checks.add(HostCheck.skip("SYSCFG memory encryption", why, true));
            checks.add(HostCheck.skip("SYSCFG SNP", why, true));
            return;
        }
        long v = syscfg.get();
        checks.add(bit(v, SYSCFG_MEM_ENCRYPTION_MOD_EN)
                ? HostCheck.pass("SYSCFG memory encryption", String.format("SYSCFG 0x%x: MemEncryptionModEn (bit 23) set", v), true)
                : HostCheck.fail("SYSCFG memory encryption", String.format("SYSCFG 0x%x: MemEncryptionModEn (bit 23) clear", v),
                        "enable SMEE (Secure Memory Encryption) in the BIOS", true));
        checks.add(bit(v, SYSCFG_SNP_EN)
                ? HostCheck.pass("SYSCFG SNP", String.format("SYSCFG 0x%x: SecureNestedPagingEn (bit 24) set", v), true)
                : HostCheck.fail("SYSCFG SNP", String.format("SYSCFG 0x%x: SecureNestedPagingEn (bit 24) clear", v),
                        "enable SEV-SNP in the BIOS and boot a kernel with SNP host support (6.11+)", true));
    }

    private String msrUnavailable() {
        if (!Files.exists(paths.msrDevice())) {
            return paths.msrDevice() + " does not exist (modprobe msr to read SYSCFG)";
        }
        return paths.msrDevice() + " does not answer for SYSCFG 0x" + Long.toHexString(MSR_SYSCFG)
                + " (needs root, and a CPU that has the MSR)";
    }

    private void kvmChecks(Kvm kvm, String kvmProblem, List<HostCheck> checks) {
        Path params = paths.kvmAmdParameters();
        if (!Files.isDirectory(params)) {
            String loaded = loadedKvmModules();
            checks.add(HostCheck.fail("kvm_amd module", SevHostSupport.kvmAmdProblems(SevMode.SEV_SNP, params).getFirst()
                    + (loaded.isEmpty() ? "" : "; KVM here is " + loaded), "modprobe kvm_amd (needs an AMD CPU with SVM)", true));
            for (String p : SevHostSupport.parameters(SevMode.SEV_SNP)) {
                checks.add(HostCheck.skip("kvm_amd." + p, "kvm_amd is not loaded", true));
            }
        } else {
            checks.add(HostCheck.pass("kvm_amd module", params.getParent() + " present", true));
            for (String p : SevHostSupport.parameters(SevMode.SEV_SNP)) {
                String value = SevHostSupport.kvmAmdParameter(params, p);
                checks.add(SevHostSupport.isOn(value) ? HostCheck.pass("kvm_amd." + p, value, true)
                        : HostCheck.fail("kvm_amd." + p, "kvm_amd." + p + " is " + (value.isEmpty() ? "absent" : value)
                        + " (needs Y)", "reload kvm_amd with " + p + "=1 (or kvm_amd." + p + "=1 on the kernel "
                        + "command line); KVM turns it off when the CPU or firmware lacks it", true));
            }
        }
        if (kvm == null) {
            checks.add(HostCheck.fail("/dev/kvm", kvmProblem, "load kvm_amd; make " + paths.kvmDevice()
                    + " readable and writable for this user", true));
            checks.add(HostCheck.skip("KVM SNP VM type", "needs " + paths.kvmDevice(), true));
            return;
        }
        checks.add(HostCheck.pass("/dev/kvm", paths.kvmDevice() + " opened, KVM API " + Kvm.API_VERSION, true));
        long types = kvm.supportedVmTypes();
        Optional<String> problem = SevHostSupport.vmTypeProblem(SevMode.SEV_SNP, types);
        checks.add(problem.isEmpty()
                ? HostCheck.pass("KVM SNP VM type", "KVM_CAP_VM_TYPES 0x" + Long.toHexString(types) + " includes "
                        + SevHostSupport.vmTypeName(SevMode.SEV_SNP), true)
                : HostCheck.fail("KVM SNP VM type", problem.get() + " (KVM_CAP_VM_TYPES 0x" + Long.toHexString(types) + ")",
                        "needs Linux 6.11+ with kvm_amd loaded and sev_snp=1 on an SNP-enabled host", true));
    }

    /** PLATFORM_STATUS and SNP_PLATFORM_STATUS through /dev/sev; the SNP status for the RMP check. */
    private Optional<SnpPlatformStatus> firmwareChecks(List<HostCheck> checks) {
        Optional<String> deviceProblem = SevHostSupport.sevDeviceProblem(paths.sevDevice());
        if (deviceProblem.isPresent() && !Files.exists(paths.sevDevice())) {
            checks.add(HostCheck.fail("/dev/sev", deviceProblem.get(), "load the ccp driver (modprobe ccp) on an AMD host "
                    + "with SEV enabled in the BIOS", true));
            checks.add(HostCheck.skip("SEV firmware", "needs " + paths.sevDevice(), false));
            checks.add(HostCheck.skip("SNP firmware", "needs " + paths.sevDevice(), true));
            return Optional.empty();
        }
        SevPlatform platform;
        try {
            platform = new DevSevPlatform(DevSevDevice.open(paths.sevDevice().toString(), paths.procCpuinfo()));
        } catch (PlatformException e) {
            checks.add(HostCheck.fail("/dev/sev", e.getMessage(), "run as root or grant this user read-write access to "
                    + paths.sevDevice(), true));
            checks.add(HostCheck.skip("SEV firmware", "needs " + paths.sevDevice(), false));
            checks.add(HostCheck.skip("SNP firmware", "needs " + paths.sevDevice(), true));
            return Optional.empty();
        }
        try (platform) {
            checks.add(deviceProblem.isEmpty() ? HostCheck.pass("/dev/sev", platform.description() + " opened", true)
                    : HostCheck.fail("/dev/sev", deviceProblem.get(), "grant this user read-write access to "
                    + paths.sevDevice() + " (commands that change the platform need it)", true));
            try {
                PlatformStatus s = platform.status();
                checks.add(HostCheck.pass("SEV firmware", String.format("API %d.%d build %d, state %s, %d guests%s",
                        s.apiMajor(), s.apiMinor(), s.build(), s.state(), s.guestCount(),
                        s.sevEsInitialised() ? ", SEV-ES initialised" : ""), false));
            } catch (PspException e) {
                checks.add(HostCheck.fail("SEV firmware", e.getMessage(), "check dmesg for ccp/SEV errors", false));
            }
            try {
                SnpPlatformStatus s = platform.snpStatus();
                checks.add(HostCheck.pass("SNP firmware", String.format("SNP API %d.%d build %d, state %s, current TCB %s",
                        s.apiMajor(), s.apiMinor(), s.buildId(), s.state() == 1 ? "INIT" : "UNINIT", s.currentTcb()), true));
                return Optional.of(s);
            } catch (PspException e) {
                checks.add(HostCheck.fail("SNP firmware", e.getMessage() + (e.errno() == dev.vmm.core.sys.Errno.EINVAL
                        ? " (the kernel has not initialised SNP)" : ""),
                        "boot with SNP enabled in the BIOS and kvm_amd.sev_snp=1; dmesg shows 'SEV-SNP' lines", true));
                return Optional.empty();
            }
        }
    }

    private HostCheck rmpCheck(Optional<SnpPlatformStatus> snp) {
        if (snp.isPresent()) {
            return snp.get().rmpInitialized() ? HostCheck.pass("RMP table", "SNP_PLATFORM_STATUS: RMP initialised", true)
                    : HostCheck.fail("RMP table", "SNP_PLATFORM_STATUS: RMP not initialised", BIOS_HINT, true);
        }
        Optional<Long> base = CpuidReader.msr(paths.msrDevice(), MSR_RMP_BASE);
        Optional<Long> end = CpuidReader.msr(paths.msrDevice(), MSR_RMP_END);
        if (base.isPresent() && end.isPresent()) {
            return base.get() != 0 && end.get() > base.get()
                    ? HostCheck.pass("RMP table", String.format("RMP_BASE 0x%x .. RMP_END 0x%x", base.get(), end.get()), true)
                    : HostCheck.fail("RMP table", String.format("RMP_BASE 0x%x, RMP_END 0x%x: no RMP table reserved",
                            base.get(), end.get()), BIOS_HINT, true);
        }
        Optional<String> iomem = iomemRmp();
        if (iomem.isPresent()) {
            return HostCheck.pass("RMP table", paths.procIomem() + ": " + iomem.get(), true);
        }
        return HostCheck.skip("RMP table", "no SNP platform status, " + msrUnavailableShort() + ", and no RMP entry in "
                + paths.procIomem(), true);
    }

    private String msrUnavailableShort() {
        return Files.exists(paths.msrDevice()) ? "RMP_BASE/RMP_END unreadable" : "no " + paths.msrDevice();
    }

    private Optional<String> iomemRmp() {
        try (Stream<String> lines = Files.lines(paths.procIomem())) {
            return lines.filter(l -> l.contains("RMP")).map(String::trim).findFirst();
        } catch (IOException | java.io.UncheckedIOException e) {
            return Optional.empty();
        }
    }

    /** The KVM modules that are loaded (kvm_intel, kvm_pvm, ...), to say what KVM is here instead. */
    private String loadedKvmModules() {
        try (Stream<Path> s = Files.list(paths.sysModule())) {
            return String.join(", ", s.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("kvm_") && !n.equals("kvm_amd")).sorted().toList());
        } catch (IOException e) {
            return "";
        }
    }

    private static boolean bit(long v, int bit) {
        return (v >>> bit & 1) != 0;
    }
}
