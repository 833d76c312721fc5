package dev.vmm.sev.attest;

import static dev.vmm.sev.attest.TestVectors.bytes;
import static dev.vmm.sev.attest.TestVectors.flip;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vmm.sev.crypto.AmdEcdsaSignature;
import dev.vmm.sev.crypto.EcdsaDigest;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every verified vector of the testdata README passes every check at the README's date, and each
 * negative case the README lists fails with the check it names.
 */
class RealVectorVerificationTest {
    private static final List<String> VCEK_CHECKS = List.of("report-format", "vcek-certificate", "product", "ark",
            "ask-signed-by-ark", "vcek-signed-by-ask", "validity", "signing-key", "report-signature", "reported-tcb", "chip-id");
    private static final List<String> VLEK_CHECKS = List.of("report-format", "vlek-certificate", "product", "ark",
            "asvk-signed-by-ark", "vlek-signed-by-asvk", "validity", "signing-key", "report-signature", "reported-tcb", "chip-id");

    static Verification verify(String report, byte[] reportBytes, SigningKey kind, String vek, byte[] vekBytes,
                               Optional<AmdChain> chain, Optional<Product> product, Instant at, Expected expected) {
        return ReportVerifier.verify(new VerificationRequest(report, reportBytes, kind, vek, vekBytes, chain, product, at, expected));
    }

    static Verification verify(String report, byte[] reportBytes, String vcek) {
        return verify(report, reportBytes, SigningKey.VCEK, vcek, bytes(vcek), Optional.empty(), Optional.empty(),
                TestVectors.VERIFIED_AT, Expected.none());
    }

    static Verification verify(String report, String vcek) {
        return verify(report, bytes(report), vcek);
    }

    /** Only the named checks fail. */
    static void failsExactly(Verification v, String... names) {
        assertThat(v.failures()).extracting(Check::name).as(v.checks().toString()).containsExactlyInAnyOrder(names);
        assertThat(v.passed()).isFalse();
    }

    @ParameterizedTest
    @CsvSource({
            "milan/virtee_report_v2.bin, milan/virtee_vcek.der, Milan",
            "milan/msft_report_v3.bin, milan/msft_vcek.pem, Milan",
            "milan/msft_report_v3.bin, milan/msft_vcek_reissued.pem, Milan",
            "milan/trustee_report_v2.bin, milan/trustee_vcek.der, Milan",
            "genoa/msft_report_v3.bin, genoa/msft_vcek.pem, Genoa",
            "genoa/trustee_azure_report_v3.bin, genoa/trustee_azure_vcek.pem, Genoa",
            "turin/msft_report_v5.bin, turin/msft_vcek.pem, Turin",
    })
    void everyVerifiedVcekVectorPasses(String report, String vcek, String product) {
        Verification v = verify(report, vcek);
        assertThat(v.failures()).as(v.checks().toString()).isEmpty();
        assertThat(v.passed()).isTrue();
        assertThat(v.checks()).extracting(Check::name).containsExactlyElementsOf(VCEK_CHECKS);
        assertThat(v.check("product").detail()).startsWith(product + " (");
        assertThat(v.check("ark").detail()).contains("AMD's ARK-" + product + " (pinned SHA-256");
        assertThat(v.check("report-signature").detail()).endsWith(": verifies");
    }

    @Test
    void theVlekVectorPassesThroughTheAsvk() {
        Verification v = verify("vlek.bin", bytes("milan/vlek/trustee_vlek_report_v3.bin"), SigningKey.VLEK,
                "milan/vlek/trustee_vlek.der", bytes("milan/vlek/trustee_vlek.der"), Optional.empty(), Optional.empty(),
                TestVectors.VLEK_VERIFIED_AT, Expected.none());
        assertThat(v.failures()).as(v.checks().toString()).isEmpty();
        assertThat(v.checks()).extracting(Check::name).containsExactlyElementsOf(VLEK_CHECKS);
        assertThat(v.check("asvk-signed-by-ark").detail()).startsWith("ASVK SEV-VLEK-Milan under ARK ARK-Milan");
        assertThat(v.check("chip-id").detail()).contains("zero (MASK_CHIP_ID)");
        assertThat(v.check("vlek-certificate").detail()).contains("cspID CN=cc-us-east-2.amazonaws.com");
    }

    @Test
    void expectedValuesFromTheReadmePass() {
        byte[] measurement = TestVectors.hex(
                "6d6c354511d6f7c6d7504668903dc5bdc066a048b651840d8d03fb85299ebfa142fccf1d1b0baca496841bdf243619d4");
        byte[] hostData = TestVectors.hex("b3452a0ed30f1010bd32740dd1610bc63296ceb0f882f2cac3a3152d651fe7e4");
        Verification v = verify("turin.bin", bytes("turin/msft_report_v5.bin"), SigningKey.VCEK, "turin/msft_vcek.pem",
                bytes("turin/msft_vcek.pem"), Optional.empty(), Optional.of(Product.TURIN), TestVectors.VERIFIED_AT,
                new Expected(Optional.of(measurement), "", Optional.of(new byte[0]), Optional.of(hostData)));
        assertThat(v.failures()).as(v.checks().toString()).isEmpty();
        assertThat(v.checks()).extracting(Check::name).endsWith("measurement", "report-data", "host-data");

        // A 32-byte nonce stands for itself followed by 32 zero bytes.
        byte[] nonce = TestVectors.hex("b581f12e29a2d7d64e5e0b738d563879a78b51c644d0fa0cce02b48699f6bf5f");
        Verification azure = verify("azure.bin", bytes("genoa/trustee_azure_report_v3.bin"), SigningKey.VCEK,
                "genoa/trustee_azure_vcek.pem", bytes("genoa/trustee_azure_vcek.pem"), Optional.empty(), Optional.empty(),
                TestVectors.VERIFIED_AT, new Expected(Optional.empty(), "", Optional.of(nonce), Optional.empty()));
        assertThat(azure.check("report-data").passed()).isTrue();
        assertThat(azure.check("report-data").detail()).contains("given 32 bytes, zero-padded");
    }

    @Test
    void aKdsChainFileReplacesTheBuiltInOne() {
        String chain = "milan/virtee_cert_chain.pem";
        Verification v = verify("r", bytes("milan/virtee_report_v2.bin"), SigningKey.VCEK, "milan/virtee_vcek.der",
                bytes("milan/virtee_vcek.der"), Optional.of(AmdChain.read(chain, bytes(chain))), Optional.empty(),
                TestVectors.VERIFIED_AT, Expected.none());
        assertThat(v.passed()).as(v.checks().toString()).isTrue();
        assertThat(v.check("ark").detail()).startsWith("ARK-Milan from milan/virtee_cert_chain.pem, AMD's ARK-Milan");
    }

    // Negative cases 1 to 10 of the testdata README.

    @Test
    void case1SignedBytesFlipped() {
        byte[] report = bytes("milan/virtee_report_v2.bin");
        failsExactly(verify("r", flip(report, 0x15, 0x80), "milan/virtee_vcek.der"), "report-signature");
        failsExactly(verify("r", flip(report, 0x90, 0x01), "milan/virtee_vcek.der"), "report-signature");
    }

    @Test
    void case2SignatureBytesFlipped() {
        byte[] report = bytes("milan/virtee_report_v2.bin");
        failsExactly(verify("r", flip(report, 0x2a0, 0x01), "milan/virtee_vcek.der"), "report-signature");
        byte[] padded = report.clone();
        padded[0x2d0] = 1;
        Verification v = verify("r", padded, "milan/virtee_vcek.der");
        assertThat(v.check("report-format").detail()).isEqualTo(
                "r: SIGNATURE.R at offset 0x2d0: bytes 48..71 of a P-384 signature component must be zero, but byte 0x2d0 is 0x01");
        assertThat(v.check("report-signature").passed()).isFalse();
    }

    @Test
    void case3SelectorBit() {
        byte[] report = bytes("milan/virtee_report_v2.bin");
        Verification v = verify("r", flip(report, 0x48, 0x04), "milan/virtee_vcek.der");
        failsExactly(v, "signing-key", "report-signature");
        assertThat(v.check("signing-key").detail()).contains("SIGNING_KEY is VLEK, but a VCEK was given");
    }

    @Test
    void case4UnsignedTailStillVerifiesButTheParserFlagsIt() throws Exception {
        byte[] report = bytes("milan/virtee_report_v2.bin");
        byte[] tail = report.clone();
        tail[0x400] = 0x55;
        AmdEcdsaSignature sig = AttestationReport.parse("r", report).signature();
        var key = (ECPublicKey) TestVectors.vek("milan/virtee_vcek.der").certificate().getPublicKey();
        assertThat(sig.verifies(key, EcdsaDigest.SHA384, tail, 0, AttestationReport.SIGNED_LENGTH)).isTrue();
        Verification v = verify("r", tail, "milan/virtee_vcek.der");
        assertThat(v.check("report-format").passed()).isFalse();
        assertThat(v.check("report-format").detail()).contains("SIGNATURE reserved 0x330..0x49f at offset 0x400");
        assertThat(v.passed()).isFalse();
    }

    @Test
    void case5CrossProductAndCrossChip() {
        Verification v = verify("genoa/msft_report_v3.bin", "milan/msft_vcek.pem");
        failsExactly(v, "product", "vcek-signed-by-ask", "report-signature", "reported-tcb", "chip-id");
        assertThat(v.check("product").detail()).isEqualTo("sources disagree: report CPUID (family 0x19, model 0x11, stepping 1): "
                + "Genoa, VCEK productName Milan-B0: Milan, VCEK issuer SEV-Milan: Milan");

        String genoaChain = "genoa/ask_ark_asvk_bundle.pem";
        Verification cross = verify("r", bytes("milan/virtee_report_v2.bin"), SigningKey.VCEK, "milan/virtee_vcek.der",
                bytes("milan/virtee_vcek.der"), Optional.of(AmdChain.read(genoaChain, bytes(genoaChain))), Optional.empty(),
                TestVectors.VERIFIED_AT, Expected.none());
        failsExactly(cross, "ark", "ask-signed-by-ark", "vcek-signed-by-ask");
        assertThat(cross.check("vcek-signed-by-ask").detail()).contains("RSASSA-PSS signature does not verify with the key of SEV-Genoa");
        assertThat(PssSignatures.problem(TestVectors.vek("milan/virtee_vcek.der").certificate(),
                CertificateFiles.readOne("ask", bytes("genoa/ask.pem")).getPublicKey())).isPresent();
    }

    @Test
    void case6CorruptedVcek() {
        byte[] vcek = bytes("milan/virtee_vcek.der");
        Verification v = verify("r", bytes("milan/virtee_report_v2.bin"), SigningKey.VCEK, "bad.der", flip(vcek, vcek.length - 1, 0x01),
                Optional.empty(), Optional.empty(), TestVectors.VERIFIED_AT, Expected.none());
        failsExactly(v, "vcek-signed-by-ask");
        assertThat(v.check("report-signature").passed()).as("the key itself is intact").isTrue();
        // virtee's corruption (byte 40 ^ 0xff) hits the inner signature AlgorithmIdentifier, which the JDK
        // compares with the outer one while parsing: the certificate is rejected before any chain check.
        Verification virtee = verify("r", bytes("milan/virtee_report_v2.bin"), SigningKey.VCEK, "bad.der", flip(vcek, 40, 0xff),
                Optional.empty(), Optional.empty(), TestVectors.VERIFIED_AT, Expected.none());
        assertThat(virtee.check("vcek-certificate").detail()).isEqualTo(
                "bad.der: DER certificate: not an X.509 certificate: Signature algorithm mismatch");
        assertThat(virtee.check("vcek-signed-by-ask").passed()).isFalse();
    }

    @Test
    void case7VlekOnTheWrongIntermediate() {
        var vlek = TestVectors.vek("milan/vlek/trustee_vlek.der").certificate();
        assertThat(PssSignatures.problem(vlek, CertificateFiles.readOne("ask", bytes("milan/ask.pem")).getPublicKey()))
                .contains("RSASSA-PSS signature does not verify");
        Verification v = verify("vlek.bin", bytes("milan/vlek/trustee_vlek_report_v3.bin"), SigningKey.VCEK,
                "milan/vlek/trustee_vlek.der", bytes("milan/vlek/trustee_vlek.der"), Optional.empty(), Optional.empty(),
                TestVectors.VLEK_VERIFIED_AT, Expected.none());
        failsExactly(v, "vcek-signed-by-ask", "signing-key", "chip-id");
        assertThat(v.check("vcek-signed-by-ask").detail()).contains("VCEK CN is SEV-VLEK, expected SEV-VCEK")
                .contains("issuer is SEV-VLEK-Milan, not the ASK SEV-Milan").contains("does not verify");
    }

    @Test
    void case8ReportedNotCurrentTcb() {
        AttestationReport r = TestVectors.report("milan/trustee_report_v2.bin");
        VekCertificate vcek = TestVectors.vek("milan/trustee_vcek.der");
        Check current = BindingChecks.tcb("CURRENT_TCB", r.currentTcb(), vcek, "VCEK");
        assertThat(current.passed()).isFalse();
        assertThat(current.detail()).endsWith("microcode SPL is 206 in the report but ucodeSPL is 115");
        assertThat(BindingChecks.tcb("REPORTED_TCB", r.reportedTcb(), vcek, "VCEK").passed()).isTrue();
        assertThat(verify("milan/trustee_report_v2.bin", "milan/trustee_vcek.der").passed()).isTrue();
    }

    @Test
    void case9Expiry() {
        byte[] report = bytes("milan/vlek/trustee_vlek_report_v3.bin");
        byte[] vlek = bytes("milan/vlek/trustee_vlek.der");
        Verification late = verify("vlek.bin", report, SigningKey.VLEK, "vlek.der", vlek, Optional.empty(), Optional.empty(),
                Instant.parse("2026-11-26T00:00:00Z"), Expected.none());
        failsExactly(late, "validity");
        assertThat(late.check("validity").detail()).contains("VLEK SEV-VLEK valid 2024-12-10").contains(": expired");
        // The msft VCEKs were issued on 2026-02-05.
        Verification early = verify("r", bytes("milan/msft_report_v3.bin"), SigningKey.VCEK, "v", bytes("milan/msft_vcek.pem"),
                Optional.empty(), Optional.empty(), TestVectors.VLEK_VERIFIED_AT, Expected.none());
        failsExactly(early, "validity");
        assertThat(early.check("validity").detail()).endsWith(": not yet valid");
    }

    @Test
    void case10LengthAndVersion() {
        byte[] report = bytes("milan/msft_report_v3.bin");
        Verification cut = verify("r", Arrays.copyOf(report, 1183), "milan/msft_vcek.pem");
        failsExactly(cut, "report-format", "signing-key", "report-signature", "reported-tcb", "chip-id");
        assertThat(cut.check("report-signature").detail()).isEqualTo("not checked: the report did not parse");
        byte[] v1 = report.clone();
        v1[0] = 1;
        Verification old = verify("r", v1, "milan/msft_vcek.pem");
        assertThat(old.check("report-format").detail()).isEqualTo("r: VERSION at offset 0x0: 1 is not a known report version (2, 3, 4 or 5)");
        // The chain does not depend on the report and is still checked.
        assertThat(old.check("vcek-signed-by-ask").passed()).isTrue();
    }

    @Test
    void turinChainWithoutAReport() {
        AmdChain chain = AmdChain.read("turin chain", bytes("turin/virtee_cert_chain.pem"));
        VekCertificate vcek = TestVectors.vek("turin/virtee_vcek_no_report.der");
        List<Check> checks = ChainChecks.run(chain, Optional.of(Product.TURIN), SigningKey.VCEK, Optional.of(vcek),
                TestVectors.VERIFIED_AT);
        assertThat(checks).extracting(Check::name).containsExactly("ark", "ask-signed-by-ark", "vcek-signed-by-ask", "validity");
        assertThat(checks).allMatch(Check::passed, checks.toString());
        assertThat(checks.getLast().detail()).contains("valid 2024-11-06");
    }
}
