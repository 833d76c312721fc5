package dev.vmm.sev.launch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmm.sev.SevMode;
import org.junit.jupiter.api.Test;

class SevHostSupportTest {
    private static final long DEFAULT_ONLY = 1L;       // what a kernel without SEV VM types offers
    private static final long ALL_SEV_TYPES = 1L | 1L << 2 | 1L << 3 | 1L << 4;

    @Test
    void sevAndSevEsFallBackToTheLegacyInitWithoutTheirVmTypes() {
        assertThat(SevHostSupport.launchVmTypeProblem(SevMode.SEV, DEFAULT_ONLY)).isEmpty();
        assertThat(SevHostSupport.launchVmTypeProblem(SevMode.SEV_ES, DEFAULT_ONLY)).isEmpty();
    }

    @Test
    void snpNeedsItsVmType() {
        assertThat(SevHostSupport.launchVmTypeProblem(SevMode.SEV_SNP, DEFAULT_ONLY)).hasValueSatisfying(p ->
                assertThat(p).isEqualTo("KVM offers VM types [0]; sev-snp needs type 4 (KVM_X86_SNP_VM)"));
        assertThat(SevHostSupport.launchVmTypeProblem(SevMode.SEV_SNP, ALL_SEV_TYPES)).isEmpty();
    }
}
