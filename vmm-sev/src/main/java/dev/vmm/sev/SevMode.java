package dev.vmm.sev;

import dev.vmm.core.kvm.Kvm;
import java.util.Arrays;

/** The three confidential guest types, with the names the command line and the verifier tools use. */
public enum SevMode {
    SEV("sev", "sev", Kvm.VM_TYPE_SEV),
    SEV_ES("sev-es", "sev-es", Kvm.VM_TYPE_SEV_ES),
    SEV_SNP("sev-snp", "snp", Kvm.VM_TYPE_SNP);

    private final String runName;
    private final String measureName;
    private final int vmType;

    SevMode(String runName, String measureName, int vmType) {
        this.runName = runName;
        this.measureName = measureName;
        this.vmType = vmType;
    }

    /** {@code run --confidential} spelling. */
    public String runName() {
        return runName;
    }

    /** {@code measure --mode} spelling (sev-snp-measure's). */
    public String measureName() {
        return measureName;
    }

    /** The KVM VM type created for this mode with KVM_SEV_INIT2. */
    public int vmType() {
        return vmType;
    }

    /** Guests whose register state is encrypted in a VMSA (and measured). */
    public boolean hasVmsa() {
        return this != SEV;
    }

    /** Accepts either spelling, and "seves" as sev-snp-measure's older spelling. */
    public static SevMode parse(String text) {
        for (SevMode m : values()) {
            if (m.runName.equals(text) || m.measureName.equals(text)) {
                return m;
            }
        }
        if (text.equals("seves")) {
            return SEV_ES;
        }
        throw new IllegalArgumentException("'" + text + "' is not a confidential mode (sev, sev-es, snp or sev-snp)");
    }

    public static String names() {
        return String.join(", ", Arrays.stream(values()).map(SevMode::runName).toList());
    }
}
