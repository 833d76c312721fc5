package dev.vmm.sev.launch;

import dev.vmm.memory.GuestAddress;
import dev.vmm.sev.SevMode;
import dev.vmm.sev.measure.PageType;
import java.util.List;

/**
 * What a confidential launch measures, in order: the ranges of LAUNCH_UPDATE_DATA (SEV, SEV-ES) or
 * SNP_LAUNCH_UPDATE (SNP), then one VMSA per vCPU (SEV-ES, SNP). The same plan drives {@code vmm
 * measure}, the simulated launch and the real one, so their digests can only differ by a bug.
 *
 * @param apResetEip where APs start (the firmware's SEV-ES reset block); 0 when it has none
 */
public record LaunchPlan(SevMode mode, List<Range> ranges, int vcpus, int cpuSignature, long sevFeatures,
                         long apResetEip) {
    /**
     * One measured range. {@code contents} holds what the VMM writes there before the launch command
     * (firmware, the kernel-hashes page, the CPUID page); null where the page type carries no data.
     */
    public record Range(long gpa, long length, PageType type, byte[] contents, String what) {
        public GuestAddress address() {
            return GuestAddress.of(gpa);
        }
    }

    public LaunchPlan {
        ranges = List.copyOf(ranges);
    }
}
