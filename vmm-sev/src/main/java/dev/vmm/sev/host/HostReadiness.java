package dev.vmm.sev.host;

import dev.vmm.core.kvm.Kvm;
import dev.vmm.core.kvm.KvmUnavailableException;
import dev.vmm.sev.SevMode;
import dev.vmm.sev.launch.SevHostSupport;
import dev.vmm.sev.platform.DevSevDevice;
import dev.vmm.sev.platform.DevSevPlatform;
import dev.vmm.sev.platform.PlatformException;
import dev.vmm.sev.platform.PlatformStatus;
import dev.vmm.sev.platform.SevDevice;
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

    /** The lowest SEV firmware API the ccp driver initialises SNP with (SNP_MIN_API_MAJOR/MINOR in sev-dev.c). */
    static final int SNP_MIN_API_MAJOR = 1;
    static final int SNP_MIN_API_MINOR = 51;

    private static final String BIOS_HINT = CpuChecks.BIOS_HINT;

    /** What answers SEV_ISSUE_CMD for {@code paths.sevDevice()}: the ccp driver's device, in tests a simulated one. */
    @FunctionalInterface
    interface SevOpener {
        /** @throws PlatformException when it cannot be opened */
        SevDevice open(HostPaths paths);
    }

    private final HostPaths paths;
    private final SevOpener sevOpener;

    public HostReadiness(HostPaths paths) {
        this(paths, p -> DevSevDevice.open(p.sevDevice().toString(), p.procCpuinfo()));
    }

    HostReadiness(HostPaths paths, SevOpener sevOpener) {
        this.paths = paths;
        this.sevOpener = sevOpener;
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
            checks.addAll(CpuChecks.of(CpuFacts.probe(paths, kvm)));
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
        SevDevice device;
        try {
            device = sevOpener.open(paths);
        } catch (PlatformException e) {
            checks.add(HostCheck.fail("/dev/sev", e.getMessage(), "run as root or grant this user read access to "
                    + paths.sevDevice() + " (enough to launch guests)", true));
            checks.add(HostCheck.skip("SEV firmware", "needs " + paths.sevDevice(), false));
            checks.add(HostCheck.skip("SNP firmware", "needs " + paths.sevDevice(), true));
            return Optional.empty();
        }
        try (SevPlatform platform = new DevSevPlatform(device)) {
            // KVM takes /dev/sev only as proof of access (sev_issue_cmd_external_user checks f_op): read-only will do.
            checks.add(HostCheck.pass("/dev/sev", device.isWritable() ? platform.description() + " opened read-write"
                    : paths.sevDevice() + " opened read-only: enough to launch guests; the platform commands that change it "
                    + "(factory-reset, pek-gen, pdh-gen, pek-csr, pek-cert-import, snp-set-config, vlek-load) need write "
                    + "access", true));
            Optional<PlatformStatus> sev = Optional.empty();
            try {
                PlatformStatus s = platform.status();
                checks.add(HostCheck.pass("SEV firmware", String.format("API %d.%d build %d, state %s, %d guests%s",
                        s.apiMajor(), s.apiMinor(), s.build(), s.state(), s.guestCount(),
                        s.sevEsInitialised() ? ", SEV-ES initialised" : ""), false));
                sev = Optional.of(s);
            } catch (PspException | PlatformException e) {
                checks.add(HostCheck.fail("SEV firmware", e.getMessage(), "check dmesg for ccp/SEV errors", false));
            }
            try {
                SnpPlatformStatus s = platform.snpStatus();
                checks.add(HostCheck.pass("SNP firmware", String.format("SNP API %d.%d build %d, state %s, current TCB %s",
                        s.apiMajor(), s.apiMinor(), s.buildId(), s.state() == 1 ? "INIT" : "UNINIT",
                        s.currentTcb().describe()), true));
                return Optional.of(s);
            } catch (PspException e) {
                checks.add(HostCheck.fail("SNP firmware", e.getMessage() + (e.errno() == dev.vmm.core.sys.Errno.EINVAL
                        ? " (the kernel has not initialised SNP)" : ""), snpInitHint(sev), true));
            } catch (PlatformException e) {
                checks.add(HostCheck.fail("SNP firmware", e.getMessage(), "SNP_PLATFORM_STATUS answered, but its TCB "
                        + "versions cannot be read without the host CPU's family", true));
            }
            return Optional.empty();
        }
    }

    /**
     * Why SNP may not be initialised. On Linux 6.12 the ccp driver runs SNP_INIT when it probes
     * (sev_pci_init), whatever kvm_amd's parameters: if the kernel enabled SNP host support (CPU, BIOS
     * RMP table, IOMMU with SNP) and the SEV firmware API is 1.51 or later; below that it leaves SNP off
     * without a word at the default log level.
     */
    static String snpInitHint(Optional<PlatformStatus> sev) {
        if (sev.isPresent() && (sev.get().apiMajor() < SNP_MIN_API_MAJOR
                || sev.get().apiMajor() == SNP_MIN_API_MAJOR && sev.get().apiMinor() < SNP_MIN_API_MINOR)) {
            return String.format("SEV firmware API %d.%d is below %d.%d, the least the ccp driver initialises SNP with "
                    + "(it then leaves SNP off silently): update the SEV firmware (a BIOS update, or "
                    + "amd/amd_sev_famXXh_modelYYh.sbin under /lib/firmware, loaded when ccp probes)", sev.get().apiMajor(),
                    sev.get().apiMinor(), SNP_MIN_API_MAJOR, SNP_MIN_API_MINOR);
        }
        return "the ccp driver initialises SNP when it probes (Linux 6.12, whatever kvm_amd's parameters), if SNP and "
                + "the RMP table are enabled in the BIOS, the IOMMU is on with SNP support (no iommu=off or "
                + "amd_iommu=off) and the SEV firmware API is " + SNP_MIN_API_MAJOR + "." + SNP_MIN_API_MINOR
                + " or later; `dmesg | grep -i SEV-SNP` shows 'failed to INIT' or why SNP was turned off";
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
        // No /proc/iomem entry to fall back on: the kernel registers no resource for the RMP table.
        return HostCheck.skip("RMP table", "no SNP platform status, and " + msrUnavailableShort()
                + " (dmesg | grep -i 'RMP table' shows the range the kernel found)", true);
    }

    private String msrUnavailableShort() {
        return Files.exists(paths.msrDevice()) ? "RMP_BASE/RMP_END unreadable" : "no " + paths.msrDevice();
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
