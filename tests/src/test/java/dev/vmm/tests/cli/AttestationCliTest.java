package dev.vmm.tests.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code vmm attestation verify} from the packaged jar: AMD's chain must come out of the jar's
 * resources, and the exit status must tell a verified report from a tampered one.
 */
class AttestationCliTest {
    private static final Path DATA = Path.of("src/test/resources/testdata/attestation");
    private static final String REPORT = DATA.resolve("virtee_report_v2.bin").toString();
    private static final String VCEK = DATA.resolve("virtee_vcek.der").toString();

    @Test
    void aRealMilanReportVerifiesAgainstTheBuiltInChain() throws Exception {
        VmmProcess r = VmmProcess.run("attestation", "verify", "--report", REPORT, "--vcek", VCEK, "--at", "2026-06-01",
                "--measurement", "7a1e5c266c0108dbc9bb94fa926951320940915d0aafb42464bd88b579ea158d3e1a0dc39b2c60bd95b9c480cd81841f");
        assertThat(r.status()).as(r.stdout() + r.stderr()).isZero();
        assertThat(r.stdout()).contains("PASS ark                 ARK-Milan from built-in AMD Milan chain, AMD's ARK-Milan")
                .endsWith("verification passed: all 12 checks\n");
        assertThat(r.stderr()).isEmpty();
    }

    @Test
    void aTamperedReportFailsWithStatus2(@TempDir Path dir) throws Exception {
        byte[] b = Files.readAllBytes(Path.of(REPORT));
        b[0x90] ^= 1;
        Path tampered = dir.resolve("tampered.bin");
        Files.write(tampered, b);
        VmmProcess r = VmmProcess.run("attestation", "verify", "--report", tampered.toString(), "--vcek", VCEK, "--at", "2026-06-01");
        assertThat(r.status()).isEqualTo(2);
        assertThat(r.stdout()).contains("FAIL report-signature ").endsWith("verification FAILED: 1 of 11 checks failed: report-signature\n");
    }
}
