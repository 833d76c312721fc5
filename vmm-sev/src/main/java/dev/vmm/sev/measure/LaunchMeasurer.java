package dev.vmm.sev.measure;

import dev.vmm.sev.SevMode;
import dev.vmm.sev.vmsa.LaunchVcpuState;
import dev.vmm.sev.vmsa.Vmsa;
import java.util.List;

/**
 * The launch digest a verifier computes, extended range by range in launch order and logged as it
 * goes. {@code vmm measure} runs it over a plan alone; a launch runs it beside the PSP over the bytes
 * actually in guest memory.
 */
public final class LaunchMeasurer {
    private final SevMode mode;
    private final LaunchLog log;
    private final SnpLaunchDigest snp;
    private final SevLaunchDigest sev;

    public LaunchMeasurer(SevMode mode, LaunchLog log) {
        this.mode = mode;
        this.log = log;
        this.snp = mode == SevMode.SEV_SNP ? new SnpLaunchDigest() : null;
        this.sev = mode == SevMode.SEV_SNP ? null : new SevLaunchDigest();
    }

    /** One measured range; {@code contents} is read for NORMAL pages and for SEV/SEV-ES data. */
    public void range(long gpa, long length, PageType type, byte[] contents, String what) {
        if (snp != null) {
            snp.updateRange(type, gpa, contents, length);
            log.add(gpa, type.label(), length, snp.digest(), what);
        } else {
            sev.update(contents, 0, (int) length);
            log.add(gpa, "data", length, sev.digest(), what);
        }
    }

    /** One VMSA per vCPU, in index order, after every range. */
    public void vmsas(List<LaunchVcpuState> vcpus, long sevFeatures, boolean fpuInVmsa) {
        if (!mode.hasVmsa()) {
            return;
        }
        for (LaunchVcpuState v : vcpus) {
            byte[] page = Vmsa.build(v, sevFeatures, fpuInVmsa);
            if (snp != null) {
                snp.update(PageType.VMSA, SnpLaunchDigest.VMSA_GPA, page, 0);
                log.add(SnpLaunchDigest.VMSA_GPA, "vmsa", Vmsa.SIZE, snp.digest(), "vcpu" + v.index());
            } else {
                sev.update(page, 0, page.length);
                log.add(SnpLaunchDigest.VMSA_GPA, "vmsa", Vmsa.SIZE, sev.digest(), "vcpu" + v.index());
            }
        }
    }

    public byte[] digest() {
        return snp != null ? snp.digest() : sev.digest();
    }
}
