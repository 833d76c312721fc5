package dev.vmm.sev.launch;

import dev.vmm.core.kvm.Kvm;
import dev.vmm.sev.SevMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/** Whether this host can launch a guest of a mode for real: every missing piece, by name. */
public final class SevHostSupport {
    public static final Path SEV_DEVICE = Path.of("/dev/sev");
    static final Path KVM_AMD_PARAMETERS = Path.of("/sys/module/kvm_amd/parameters");

    private SevHostSupport() {}

    /** What is missing for {@code mode}; empty when the host can launch it. */
    public static List<String> missing(SevMode mode, Kvm kvm, Path sevDevice, Path kvmAmdParameters) {
        List<String> problems = new ArrayList<>();
        if (!Files.exists(sevDevice)) {
            problems.add(sevDevice + " does not exist (no SEV firmware driver: ccp/psp)");
        } else if (!Files.isReadable(sevDevice) || !Files.isWritable(sevDevice)) {
            problems.add(sevDevice + " is not readable and writable by this user");
        }
        long types = kvm.supportedVmTypes();
        if ((types & 1L << mode.vmType()) == 0) {
            List<Integer> offered = IntStream.range(0, 64).filter(t -> (types & 1L << t) != 0).boxed().toList();
            problems.add("KVM offers VM types " + offered + "; " + mode.runName() + " needs type " + mode.vmType()
                    + " (" + vmTypeName(mode) + ")");
        }
        if (!Files.isDirectory(kvmAmdParameters)) {
            problems.add("kvm_amd is not loaded (no " + kvmAmdParameters + ")");
        } else {
            for (String p : parameters(mode)) {
                String value = read(kvmAmdParameters.resolve(p));
                if (!value.equals("Y") && !value.equals("1")) {
                    problems.add("kvm_amd." + p + " is " + (value.isEmpty() ? "absent" : value) + " (needs Y)");
                }
            }
        }
        return problems;
    }

    /** Throws with every missing piece and the way out when {@code mode} cannot be launched for real. */
    public static void require(SevMode mode, Kvm kvm) {
        List<String> problems = missing(mode, kvm, SEV_DEVICE, KVM_AMD_PARAMETERS);
        if (!problems.isEmpty()) {
            throw new LaunchException(mode.runName() + " is not available on this host: " + String.join("; ", problems)
                    + ". Use --psp simulated to run the launch against the simulated PSP.");
        }
    }

    private static List<String> parameters(SevMode mode) {
        return switch (mode) {
            case SEV -> List.of("sev");
            case SEV_ES -> List.of("sev", "sev_es");
            case SEV_SNP -> List.of("sev", "sev_es", "sev_snp");
        };
    }

    private static String vmTypeName(SevMode mode) {
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
