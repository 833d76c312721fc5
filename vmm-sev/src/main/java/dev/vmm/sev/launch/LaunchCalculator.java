package dev.vmm.sev.launch;

import dev.vmm.sev.measure.LaunchLog;
import dev.vmm.sev.measure.LaunchMeasurer;
import dev.vmm.sev.vmsa.ConfidentialResetState;
import dev.vmm.sev.vmsa.LaunchVcpuState;
import java.util.ArrayList;
import java.util.List;

/** The expected launch digest of a plan, without KVM or a PSP: what {@code vmm measure} prints. */
public final class LaunchCalculator {
    private LaunchCalculator() {}

    public static byte[] digest(LaunchPlan plan, boolean fpuInVmsa, LaunchLog log) {
        LaunchMeasurer m = new LaunchMeasurer(plan.mode(), log);
        for (LaunchPlan.Range r : plan.ranges()) {
            m.range(r.gpa(), r.length(), r.type(), r.contents(), r.what());
        }
        m.vmsas(resetStates(plan), plan.sevFeatures(), fpuInVmsa);
        return m.digest();
    }

    /** The vCPUs as QEMU resets them for this plan: BSP at the reset vector, APs at the reset block. */
    public static List<LaunchVcpuState> resetStates(LaunchPlan plan) {
        List<LaunchVcpuState> states = new ArrayList<>();
        for (int i = 0; i < plan.vcpus(); i++) {
            states.add(ConfidentialResetState.forVcpu(i, plan.cpuSignature(), plan.apResetEip()));
        }
        return states;
    }
}
