package dev.vmm.sev.launch;

import dev.vmm.memory.GuestMemory;
import dev.vmm.memory.MemoryAttributes;
import dev.vmm.sev.SevMode;
import dev.vmm.sev.cpuid.SnpCpuidTable;
import dev.vmm.sev.measure.LaunchLog;
import dev.vmm.sev.measure.LaunchMeasurer;
import dev.vmm.sev.measure.PageType;
import dev.vmm.sev.psp.CpuidRejectedException;
import dev.vmm.sev.psp.Psp;
import dev.vmm.sev.psp.SimulatedPsp;
import dev.vmm.sev.vmsa.LaunchVcpuState;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Runs a {@link LaunchPlan} against a {@link Psp}, in the order the firmware requires: {@link #init()}
 * before any vCPU exists, {@link #start()}, {@link #importRanges()} after the firmware is in guest
 * memory, {@link #finish} once every vCPU has its registers. It measures beside the PSP (the digest a
 * verifier expects) and, with the simulated PSP, checks that the simulated firmware got the same.
 */
public final class ConfidentialLaunch {
    private static final System.Logger LOG = System.getLogger("vmm.sev");

    /** Launch parameters beyond the plan; {@code idBlock}/{@code idAuth} null without an ID block. */
    public record Options(long policy, byte[] hostData, byte[] idBlock, byte[] idAuth, boolean authorKey) {}

    /** What the launch produced: the digest, and for SEV/SEV-ES the firmware's MEASURE blob. */
    public record Result(SevMode mode, byte[] digest, byte[] measurement, String psp, LaunchLog log) {
        public String digestHex() {
            return HexFormat.of().formatHex(digest);
        }
    }

    private enum Step { NEW, INITIALIZED, STARTED, IMPORTED, FINISHED }

    private final LaunchPlan plan;
    private final Options options;
    private final Psp psp;
    private final GuestMemory memory;
    private final MemoryAttributes attributes;
    private final boolean fpuInVmsa;
    private final LaunchLog log = new LaunchLog();
    private final LaunchMeasurer measurer;
    private Step step = Step.NEW;

    /** @param fpuInVmsa false only for a legacy KVM_SEV_ES_INIT launch (VMSA FPU area left zero) */
    public ConfidentialLaunch(LaunchPlan plan, Options options, Psp psp, GuestMemory memory,
                              MemoryAttributes attributes, boolean fpuInVmsa) {
        this.plan = plan;
        this.options = options;
        this.psp = psp;
        this.memory = memory;
        this.attributes = attributes;
        this.fpuInVmsa = fpuInVmsa;
        this.measurer = new LaunchMeasurer(plan.mode(), log);
    }

    public LaunchPlan plan() {
        return plan;
    }

    /** KVM_SEV_INIT2: before the first vCPU is created. */
    public void init() {
        expect(Step.NEW, "init");
        psp.init(plan.mode(), plan.sevFeatures() & ~1L);
        step = Step.INITIALIZED;
    }

    public void start() {
        expect(Step.INITIALIZED, "launch start");
        if (plan.mode() == SevMode.SEV_SNP) {
            psp.snpLaunchStart(options.policy(), new byte[16]);
        } else {
            psp.launchStart((int) options.policy(), null, null);
        }
        step = Step.STARTED;
    }

    /** Writes each range's contents into guest memory and has the PSP import and measure it. */
    public void importRanges() {
        expect(Step.STARTED, "import");
        for (LaunchPlan.Range r : plan.ranges()) {
            if (r.contents() != null) {
                memory.write(r.address(), r.contents());
            }
            if (plan.mode() == SevMode.SEV_SNP) {
                attributes.setPrivate(r.gpa(), r.length(), true);
                importSnp(r);
            } else {
                MemorySegment range = memory.slice(r.address(), r.length());
                byte[] plain = memory.read(r.address(), r.length());
                psp.launchUpdateData(r.gpa(), range);
                measurer.range(r.gpa(), r.length(), r.type(), plain, r.what());
            }
        }
        step = Step.IMPORTED;
    }

    private void importSnp(LaunchPlan.Range r) {
        MemorySegment source = r.type() == PageType.ZERO ? null : memory.slice(r.address(), r.length());
        byte[] measured = r.type() == PageType.NORMAL ? memory.read(r.address(), r.length()) : null;
        try {
            psp.snpLaunchUpdate(r.gpa(), source, r.length(), r.type());
        } catch (CpuidRejectedException e) {
            // The firmware's version replaced ours in the source buffer (KVM copies it back); say what
            // it changed, then import the corrected page, as QEMU does.
            List<String> changes = SnpCpuidTable.parse(r.contents()).differences(SnpCpuidTable.parse(e.firmwarePage()));
            LOG.log(System.Logger.Level.WARNING, "the firmware corrected the SNP CPUID page; retrying with its values:\n  "
                    + String.join("\n  ", changes));
            memory.write(r.address(), e.firmwarePage());
            psp.snpLaunchUpdate(r.gpa(), source, r.length(), r.type());
        }
        measurer.range(r.gpa(), r.length(), r.type(), measured, r.what());
    }

    /**
     * Measures the vCPUs' VMSAs (SEV-ES, SNP) and ends the launch. {@code vcpus} are the states the
     * VMM gave every vCPU, in index order: KVM builds the VMSAs from the same state.
     */
    public Result finish(List<LaunchVcpuState> vcpus) {
        expect(Step.IMPORTED, "finish");
        if (plan.mode().hasVmsa() && vcpus.size() != plan.vcpus()) {
            throw new LaunchException("VMSA before vCPU setup: " + vcpus.size() + " of " + plan.vcpus()
                    + " vCPUs have their launch registers");
        }
        byte[] measurement = null;
        switch (plan.mode()) {
            case SEV -> measurement = psp.launchMeasure();
            case SEV_ES -> {
                psp.launchUpdateVmsa(vcpus);
                measurer.vmsas(vcpus, plan.sevFeatures(), fpuInVmsa);
                measurement = psp.launchMeasure();
            }
            case SEV_SNP -> {
                measurer.vmsas(vcpus, plan.sevFeatures(), fpuInVmsa);
                psp.snpLaunchFinish(vcpus, options.idBlock(), options.idAuth(), options.authorKey(), options.hostData());
            }
        }
        if (plan.mode() != SevMode.SEV_SNP) {
            psp.launchFinish();
        }
        step = Step.FINISHED;
        byte[] digest = measurer.digest();
        if (psp instanceof SimulatedPsp sim && !Arrays.equals(sim.launchDigest(), digest)) {
            throw new IllegalStateException("the simulated firmware's launch digest "
                    + HexFormat.of().formatHex(sim.launchDigest()) + " differs from the VMM's "
                    + HexFormat.of().formatHex(digest));
        }
        return new Result(plan.mode(), digest, measurement, psp.description(), log);
    }

    private void expect(Step wanted, String what) {
        if (step != wanted) {
            throw new LaunchException("launch step '" + what + "' out of order: the launch is at " + step);
        }
    }
}
