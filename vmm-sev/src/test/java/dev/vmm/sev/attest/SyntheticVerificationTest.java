package dev.vmm.sev.attest;

import static dev.vmm.sev.attest.RealVectorVerificationTest.failsExactly;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Reports signed by the synthetic chain's VCEK, so that each field can be wrong while the signature
 * holds: exactly the check for that field fails.
 */
class SyntheticVerificationTest {
    @Test
    void aCorrectReportPassesUnderTheGivenChain() {
        Verification v = SyntheticChain.verify(SyntheticChain.sign(SyntheticChain.template()));
        assertThat(v.failures()).as(v.checks().toString()).isEmpty();
        assertThat(v.check("ark").detail()).contains("not AMD's built-in ARK-Milan: trusted because synthetic/cert_chain.pem gave it");
    }

    @Test
    void withAmdsChainTheSyntheticVcekIsRejected() {
        byte[] report = SyntheticChain.sign(SyntheticChain.template());
        Verification v = ReportVerifier.verify(new VerificationRequest("r", report, SigningKey.VCEK, "vcek.pem",
                TestVectors.bytes(SyntheticChain.VCEK), Optional.empty(), Optional.empty(), SyntheticChain.AT, Expected.none()));
        failsExactly(v, "vcek-signed-by-ask");
        assertThat(v.check("vcek-signed-by-ask").detail()).contains("not the ASK SEV-Milan");
    }

    @Test
    void flippedSignatureByte() {
        byte[] report = SyntheticChain.sign(SyntheticChain.template());
        failsExactly(SyntheticChain.verify(TestVectors.flip(report, 0x2e8, 0x01)), "report-signature");
        failsExactly(SyntheticChain.verify(TestVectors.flip(report, 0x2c7, 0x80)), "report-signature");
    }

    @Test
    void wrongReportedTcb() {
        byte[] b = SyntheticChain.template();
        b[0x187] = (byte) 220;
        Verification v = SyntheticChain.verify(SyntheticChain.sign(b));
        failsExactly(v, "reported-tcb");
        assertThat(v.check("reported-tcb").detail()).endsWith("microcode SPL is 220 in the report but ucodeSPL is 219");
        // CURRENT_TCB is not what the key is bound to.
        byte[] current = SyntheticChain.template();
        current[0x3f] = (byte) 230;
        assertThat(SyntheticChain.verify(SyntheticChain.sign(current)).passed()).isTrue();
    }

    @Test
    void wrongChipId() {
        byte[] b = SyntheticChain.template();
        b[0x1a0 + 63] ^= 1;
        Verification v = SyntheticChain.verify(SyntheticChain.sign(b));
        failsExactly(v, "chip-id");
        assertThat(v.check("chip-id").detail()).contains("differs from VCEK hwID " + TestVectors.hex(SyntheticChain.HWID));

        byte[] masked = SyntheticChain.template();
        Arrays.fill(masked, 0x1a0, 0x1e0, (byte) 0);
        failsExactly(SyntheticChain.verify(SyntheticChain.sign(masked)), "chip-id");
    }

    @Test
    void wrongMeasurementReportDataAndHostData() {
        byte[] report = SyntheticChain.sign(SyntheticChain.template());
        AttestationReport parsed = AttestationReport.parse("r", report);
        byte[] other = TestVectors.flip(parsed.measurement(), 47, 1);
        Verification v = ReportVerifier.verify(SyntheticChain.request(report, SyntheticChain.AT,
                new Expected(Optional.of(other), "from a launch log", Optional.of(new byte[] {1}), Optional.of(parsed.hostData()))));
        failsExactly(v, "measurement", "report-data");
        assertThat(v.check("measurement").detail()).startsWith("MEASUREMENT is " + TestVectors.hex(parsed.measurement()) + ", expected "
                + TestVectors.hex(other)).endsWith("(expected from a launch log)");
        assertThat(v.check("host-data").passed()).isTrue();

        Verification shortMeasurement = ReportVerifier.verify(SyntheticChain.request(report, SyntheticChain.AT,
                new Expected(Optional.of(new byte[32]), "", Optional.empty(), Optional.empty())));
        assertThat(shortMeasurement.check("measurement").detail()).isEqualTo("expected value has 32 bytes; MEASUREMENT has 48");
    }

    @Test
    void expiredAndNotYetValidCertificates() {
        byte[] report = SyntheticChain.sign(SyntheticChain.template());
        Verification late = ReportVerifier.verify(SyntheticChain.request(report, Instant.parse("2033-01-01T00:00:00Z"), Expected.none()));
        failsExactly(late, "validity");
        assertThat(late.check("validity").detail()).startsWith("at 2033-01-01T00:00:00Z: VCEK SEV-VCEK valid 2025-01-01T00:00:00Z .. "
                + "2032-01-01T00:00:00Z: expired");
        Verification early = ReportVerifier.verify(SyntheticChain.request(report, Instant.parse("2024-06-01T00:00:00Z"), Expected.none()));
        failsExactly(early, "validity");
        assertThat(early.check("validity").detail()).endsWith("not yet valid");
    }

    @Test
    void unsignedReportsFail() {
        byte[] b = SyntheticChain.template();
        b[0x48] = 0x1c; // SIGNING_KEY 7: none
        Arrays.fill(b, 0x2a0, 0x4a0, (byte) 0);
        Verification v = SyntheticChain.verify(b);
        failsExactly(v, "signing-key", "report-signature");
        assertThat(v.check("report-signature").detail()).endsWith("the signature is all zero (unsigned report)");
        assertThat(v.check("signing-key").detail()).contains("SIGNING_KEY is NONE");
    }

    @Test
    void aGivenProductThatDisagreesFails() {
        byte[] report = SyntheticChain.sign(SyntheticChain.template());
        VerificationRequest q = SyntheticChain.request(report, SyntheticChain.AT, Expected.none());
        Verification v = ReportVerifier.verify(new VerificationRequest(q.reportSource(), q.report(), q.vekKind(), q.vekSource(), q.vek(),
                q.chain(), Optional.of(Product.GENOA), q.at(), q.expected()));
        assertThat(v.failures()).extracting(Check::name).contains("product", "ark", "ask-signed-by-ark");
        assertThat(v.check("product").detail()).startsWith("sources disagree: given: Genoa, report CPUID");
    }

    @Test
    void aMalformedKeyFileFailsItsChecksAndTheRestStillRun() {
        byte[] report = SyntheticChain.sign(SyntheticChain.template());
        Verification v = ReportVerifier.verify(new VerificationRequest("r", report, SigningKey.VCEK, "empty.pem", new byte[0],
                Optional.empty(), Optional.empty(), SyntheticChain.AT, Expected.none()));
        failsExactly(v, "vcek-certificate", "vcek-signed-by-ask", "validity", "report-signature", "reported-tcb", "chip-id");
        assertThat(v.check("ark").passed()).as("product from CPUID, so AMD's Milan chain").isTrue();
        assertThat(v.check("report-signature").detail()).isEqualTo("not checked: no usable VCEK certificate");
    }
}
