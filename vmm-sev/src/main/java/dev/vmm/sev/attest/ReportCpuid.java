package dev.vmm.sev.attest;

import java.util.Optional;

/**
 * CPUID_FAM_ID, CPUID_MOD_ID and CPUID_STEP (report version 3 and later, offsets 0x188..0x18A): the
 * combined family (extended + base), model ((extended << 4) | base) and stepping of the CPU.
 */
public record ReportCpuid(int family, int model, int stepping) {
    public Optional<Product> product() {
        return Product.fromCpuid(family, model);
    }

    @Override
    public String toString() {
        return String.format("family 0x%x, model 0x%x, stepping %d", family, model, stepping);
    }
}
