package dev.vmm.sev.launch;

import dev.vmm.core.kvm.Kvm;
import dev.vmm.sev.SevMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

/** Whether this host can launch a guest of a mode for real: every missing piece, by name. */
public final class SevHostSupport {
    public static final Path SEV_DEVICE = Path.of("/dev/sev");
    public static final Path KVM_AMD_PARAMETERS = Path.of("/sys/module/kvm_amd/parameters");

    private SevHostSupport() {}

    /** What is missing for {@code mode}; empty when the host can launch it. */
    public static List<String> missing(SevMode mode, Kvm kvm, Path sevDevice, Path kvmAmdParameters) {
        List<String> problems = new ArrayList<>();
        sevDeviceProblem(sevDevice).ifPresent(problems::add);
        launchVmTypeProblem(mode, kvm.supportedVmTypes()).ifPresent(problems::add);
        problems.addAll(kvmAmdProblems(mode, kvmAmdParameters));
        return problems;
    }

    /**
     * Why {@code sevDevice} cannot be used to launch guests, if it cannot. Read access is enough: KVM
     * takes the fd only as proof of access to the SEV firmware (sev_issue_cmd_external_user checks that
     * it is /dev/sev, not how it was opened).
     */
    public static Optional<String> sevDeviceProblem(Path sevDevice) {
        if (!Files.exists(sevDevice)) {
            return Optional.of(sevDevice + " does not exist (no SEV firmware driver: ccp/psp)");
        }
        if (!Files.isReadable(sevDevice)) {
            return Optional.of(sevDevice + " is not readable by this user (read access is enough to launch guests)");
        }
        return Optional.empty();
    }

    /**
     * Why a {@code mode} guest cannot be launched, as far as KVM's VM types go. SNP needs its VM type.
     * SEV and SEV-ES fall back to KVM_SEV_INIT / KVM_SEV_ES_INIT on a default-type VM, as QEMU does on
     * kernels before 6.10 (no KVM_CAP_VM_TYPES), so a missing type is no problem for them.
     */
    public static Optional<String> launchVmTypeProblem(SevMode mode, long types) {
        return mode == SevMode.SEV_SNP ? vmTypeProblem(mode, types) : Optional.empty();
    }

    /** Why KVM cannot make a VM of {@code mode}'s type, given its KVM_CAP_VM_TYPES bit mask. */
    public static Optional<String> vmTypeProblem(SevMode mode, long types) {
        if ((types & 1L << mode.vmType()) != 0) {
            return Optional.empty();
        }
        List<Integer> offered = IntStream.range(0, 64).filter(t -> (types & 1L << t) != 0).boxed().toList();
        return Optional.of("KVM offers VM types " + offered + "; " + mode.runName() + " needs type " + mode.vmType()
                + " (" + vmTypeName(mode) + ")");
    }

    /** The kvm_amd module parameters {@code mode} needs that are not on (or kvm_amd itself missing). */
    public static List<String> kvmAmdProblems(SevMode mode, Path kvmAmdParameters) {
        if (!Files.isDirectory(kvmAmdParameters)) {
            return List.of("kvm_amd is not loaded (no " + kvmAmdParameters + ")");
        }
        List<String> problems = new ArrayList<>();
        for (String p : parameters(mode)) {
            String value = kvmAmdParameter(kvmAmdParameters, p);
            if (!isOn(value)) {
                problems.add("kvm_amd." + p + " is " + (value.isEmpty() ? "absent" : value) + " (needs Y)");
            }
        }
        return problems;
    }

    /** A kvm_amd module parameter's value as sysfs shows it, or "" when it is absent. */
    public static String kvmAmdParameter(Path kvmAmdParameters, String name) {
        return read(kvmAmdParameters.resolve(name));
    }

    public static boolean isOn(String parameterValue) {
        return parameterValue.equals("Y") || parameterValue.equals("1");
    }

    /** Throws with every missing piece when {@code mode} cannot be launched for real. */
    public static void require(SevMode mode, Kvm kvm) {
        List<String> problems = missing(mode, kvm, SEV_DEVICE, KVM_AMD_PARAMETERS);
        if (!problems.isEmpty()) {
            throw new SevUnavailableException(mode, problems);
        }
    }

    /** The kvm_amd parameters a mode needs on. */
    public static List<String> parameters(SevMode mode) {
        return switch (mode) {
            case SEV -> List.of("sev");
            case SEV_ES -> List.of("sev", "sev_es");
            case SEV_SNP -> List.of("sev", "sev_es", "sev_snp");
        };
    }

    /** The header's name of the VM type a mode needs. */
    public static String vmTypeName(SevMode mode) {
        return switch (mode) {
            case SEV -> "KVM_X86_SEV_VM";
            case SEV_ES -> "KVM_X86_SEV_ES_VM";
            case SEV_SNP -> "KVM_X86_SNP_VM";
        };
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p).trim() : "";
        } catch (IOException e) {
            return "";
        }
    }
}
