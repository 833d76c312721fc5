package dev.vmm.sev.attest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmm.sev.tcb.TcbVersion;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** TCB and chip-ID binding on the Turin layout, and product evidence without any source. */
class BindingChecksTest {
    private static final AttestationReport TURIN = TestVectors.report("turin/msft_report_v5.bin");
    private static final VekCertificate TURIN_VCEK = TestVectors.vek("turin/msft_vcek.pem");

    @Test
    void turinComparesTheFmcSpl() {
        assertThat(BindingChecks.tcb("REPORTED_TCB", TURIN.reportedTcb(), TURIN_VCEK, "VCEK").passed()).isTrue();
        TcbVersion t = TURIN.reportedTcb();
        TcbVersion otherFmc = TcbVersion.turin(2, t.bootLoader(), t.tee(), t.snp(), t.microcode());
        Check c = BindingChecks.tcb("REPORTED_TCB", otherFmc, TURIN_VCEK, "VCEK");
        assertThat(c.passed()).isFalse();
        assertThat(c.detail()).endsWith("FMC SPL is 2 in the report but fmcSPL is 1");
        TcbVersion legacy = TcbVersion.milanGenoa(1, 1, 4, 81);
        assertThat(BindingChecks.tcb("REPORTED_TCB", legacy, TURIN_VCEK, "VCEK").detail())
                .endsWith("VCEK has fmcSPL 1 (a Turin-layout key) but the report's TCB has the Milan/Genoa layout");
    }

    @Test
    void turinChipIdsCompareEightBytesAndNeedAZeroTail() {
        assertThat(BindingChecks.chipId(TURIN, TURIN_VCEK, SigningKey.VCEK).detail())
                .isEqualTo("CHIP_ID 59790fb1c39f35c1 (then 56 bytes that must be zero) = VCEK hwID");
        byte[] raw = TURIN.raw().clone();
        raw[0x1a0 + 20] = 1;
        AttestationReport tail = AttestationReport.parse("t", raw);
        Check c = BindingChecks.chipId(tail, TURIN_VCEK, SigningKey.VCEK);
        assertThat(c.passed()).isFalse();
        assertThat(c.detail()).endsWith("CHIP_ID bytes 8..63 are not zero");
    }

    @Test
    void milanChipIdsCompareAll64Bytes() {
        AttestationReport r = TestVectors.report("milan/virtee_report_v2.bin");
        VekCertificate v = TestVectors.vek("milan/virtee_vcek.der");
        assertThat(BindingChecks.chipId(r, v, SigningKey.VCEK).passed()).isTrue();
        assertThat(BindingChecks.chipId(TestVectors.report("milan/trustee_report_v2.bin"), v, SigningKey.VCEK).passed()).isFalse();
        byte[] raw = r.raw().clone();
        Arrays.fill(raw, 0x1a0, 0x1e0, (byte) 0);
        assertThat(BindingChecks.chipId(AttestationReport.parse("m", raw), v, SigningKey.VCEK).detail())
                .startsWith("CHIP_ID is zero (MASK_CHIP_ID), so it cannot be matched with hwID d49554ec");
    }

    @Test
    void productEvidence() {
        assertThat(ProductEvidence.gather(Optional.empty(), Optional.empty(), Optional.empty(), "VCEK").check().detail())
                .startsWith("cannot tell the product");
        ProductEvidence v2 = ProductEvidence.gather(Optional.empty(), Optional.of(TestVectors.report("milan/virtee_report_v2.bin")),
                Optional.empty(), "VCEK");
        assertThat(v2.chosen()).isEmpty();
        ProductEvidence turin = ProductEvidence.gather(Optional.empty(), Optional.of(TURIN), Optional.of(TURIN_VCEK), "VCEK");
        assertThat(turin.chosen()).contains(Product.TURIN);
        assertThat(turin.claims()).extracting(ProductEvidence.Claim::basis).containsExactly(
                "report CPUID (family 0x1a, model 0x2, stepping 1)", "VCEK productName Turin", "VCEK issuer SEV-Turin");
        assertThat(ProductEvidence.fromKey(TestVectors.vek("milan/vlek/trustee_vlek.der"))).contains(Product.MILAN);
    }
}
