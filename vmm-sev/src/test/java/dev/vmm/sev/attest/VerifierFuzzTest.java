package dev.vmm.sev.attest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever the report and key bytes, verification returns the same named checks (failed ones
 * included) and never throws: malformed input is a failed check, not an aborted run.
 */
class VerifierFuzzTest {
    private static final byte[] REPORT = TestVectors.bytes("milan/msft_report_v3.bin");
    private static final byte[] VCEK = TestVectors.bytes("milan/msft_vcek.pem");
    private static final byte[] VCEK_DER = TestVectors.bytes("milan/virtee_vcek.der");
    private static final List<String> CHECKS = List.of("report-format", "vcek-certificate", "product", "ark", "ask-signed-by-ark",
            "vcek-signed-by-ask", "validity", "signing-key", "report-signature", "reported-tcb", "chip-id");

    @Property(tries = 400)
    void everyCheckIsReportedForAnyInput(@ForAll("reports") byte[] report, @ForAll("keys") byte[] vcek) {
        Verification v = ReportVerifier.verify(new VerificationRequest("r", report, SigningKey.VCEK, "v", vcek, Optional.empty(),
                Optional.empty(), TestVectors.VERIFIED_AT, Expected.none()));
        assertThat(v.checks()).extracting(Check::name).containsExactlyElementsOf(CHECKS);
        assertThat(v.checks()).allMatch(c -> !c.detail().isEmpty());
        if (Arrays.equals(report, REPORT) && Arrays.equals(vcek, VCEK)) {
            assertThat(v.passed()).isTrue();
        }
    }

    @Provide
    Arbitrary<byte[]> reports() {
        Arbitrary<int[]> change = Combinators.combine(Arbitraries.integers().between(0, REPORT.length - 1),
                Arbitraries.integers().between(0, 255)).as((at, b) -> new int[] {at, b});
        return Combinators.combine(change.list().ofMaxSize(3), Arbitraries.of(REPORT.length, REPORT.length, REPORT.length, 100))
                .as((changes, n) -> {
                    byte[] b = REPORT.clone();
                    changes.forEach(c -> b[c[0]] = (byte) c[1]);
                    return Arrays.copyOf(b, n);
                });
    }

    @Provide
    Arbitrary<byte[]> keys() {
        Arbitrary<int[]> change = Combinators.combine(Arbitraries.integers().between(0, VCEK_DER.length - 1),
                Arbitraries.integers().between(0, 255)).as((at, b) -> new int[] {at, b});
        Arbitrary<byte[]> mutatedDer = change.list().ofMinSize(1).ofMaxSize(3).map(changes -> {
            byte[] b = VCEK_DER.clone();
            changes.forEach(c -> b[c[0]] = (byte) c[1]);
            return b;
        });
        return Arbitraries.oneOf(Arbitraries.just(VCEK), mutatedDer, Arbitraries.bytes().array(byte[].class).ofMaxSize(100));
    }
}
