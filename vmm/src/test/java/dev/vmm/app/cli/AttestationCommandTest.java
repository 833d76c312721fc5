package dev.vmm.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vmm.firmware.TestGuest;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code vmm attestation show} and {@code verify} through picocli, in process, on real and synthetic reports. */
class AttestationCommandTest {
    private static final String MILAN_V2 = file("milan/virtee_report_v2.bin");
    private static final String MILAN_VCEK = file("milan/virtee_vcek.der");
    private static final String VLEK_REPORT = file("milan/vlek/trustee_vlek_report_v3.bin");
    private static final String VLEK = file("milan/vlek/trustee_vlek.der");
    private static final String TURIN_V5 = file("turin/msft_report_v5.bin");

    record Run(int status, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = VmmCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int status = cli.execute(args);
        return new Run(status, out.toString(), err.toString());
    }

    static String file(String resource) {
        try {
            return Path.of(AttestationCommandTest.class.getResource("/attest/" + resource).toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void showPrintsEveryFieldByItsAmdName() {
        Run r = run("attestation", "show", "--report", MILAN_V2);
        assertThat(r.status()).as(r.err()).isZero();
        for (String field : List.of("VERSION", "GUEST_SVN", "POLICY", "FAMILY_ID", "IMAGE_ID", "VMPL", "SIGNATURE_ALGO", "CURRENT_TCB",
                "PLATFORM_INFO", "KEY_INFO", "REPORT_DATA", "MEASUREMENT", "HOST_DATA", "ID_KEY_DIGEST", "AUTHOR_KEY_DIGEST", "REPORT_ID",
                "REPORT_ID_MA", "REPORTED_TCB", "CPUID_FAM_ID", "CPUID_MOD_ID", "CPUID_STEP", "CHIP_ID", "COMMITTED_TCB", "CURRENT",
                "COMMITTED", "LAUNCH_TCB", "LAUNCH_MIT_VECTOR", "CURRENT_MIT_VECTOR", "SIGNATURE.R", "SIGNATURE.S")) {
            assertThat(r.out()).containsPattern("(?m)^" + java.util.regex.Pattern.quote(field) + " +\\S");
        }
        assertThat(r.out()).contains("MEASUREMENT                 7a1e5c266c0108dbc9bb94fa926951320940915d0aafb42464bd88b579ea158d3e1a0dc39b2c60bd95b9c480cd81841f\n")
                .contains("REPORTED_TCB                0x7308000000000003: bl 3, tee 0, snp 8, ucode 115 (Milan/Genoa layout)\n")
                .contains("  SMT                       1\n").contains("  DEBUG                     0\n")
                .contains("  SIGNING_KEY               0 (VCEK)\n").contains("CPUID_FAM_ID                (not in version 2)\n")
                .contains("CURRENT                     1.52.4 (CURRENT_MAJOR.CURRENT_MINOR.CURRENT_BUILD)\n");
    }

    @Test
    void showJsonDecodesTurinTcbsAndVersion5Fields() throws Exception {
        Run r = run("attestation", "show", "--report", TURIN_V5, "--json");
        assertThat(r.status()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("version").asInt()).isEqualTo(5);
        assertThat(j.at("/cpuid/family").asText()).isEqualTo("0x1a");
        assertThat(j.at("/reportedTcb/fmc").asInt()).isEqualTo(1);
        assertThat(j.at("/reportedTcb/microcode").asInt()).isEqualTo(81);
        assertThat(j.at("/reportedTcb/raw").asText()).isEqualTo("0x5100000004010101");
        assertThat(j.at("/platformInfo/ALIAS_CHECK_COMPLETE").asBoolean()).isTrue();
        assertThat(j.at("/platformInfo/unknownBits").asText()).isEqualTo("0x40");
        assertThat(j.at("/policy/SMT").asBoolean()).isTrue();
        assertThat(j.at("/policy/abiMinor").asInt()).isEqualTo(31);
        assertThat(j.get("launchMitVector").asText()).isEqualTo("0x3f");
        assertThat(j.get("chipId").asText()).startsWith("59790fb1c39f35c1000000");
        assertThat(j.at("/signature/r").asText()).isEqualTo(
                "f60e9f205e7e7cd650f1e61d5d376f1af317a87a622592f1dae042180b35fa0a1215fbe3fc632ae25f294f2fb26ad429");
        assertThat(j.get("product").asText()).isEqualTo("Turin");
        Run v2 = run("attestation", "show", "--report", MILAN_V2, "--json");
        assertThat(new ObjectMapper().readTree(v2.out()).get("cpuid").isNull()).isTrue();
    }

    @Test
    void showRejectsWhatIsNotAReport(@TempDir Path dir) throws Exception {
        Path cut = dir.resolve("cut.bin");
        Files.write(cut, Arrays.copyOf(Files.readAllBytes(Path.of(MILAN_V2)), 1183));
        Run r = run("attestation", "show", "--report", cut.toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("vmm: error: " + cut + ": ATTESTATION_REPORT at offset 0x49f: 1183 bytes; a report is exactly "
                + "1184 (0x4a0) bytes\n");
    }

    @Test
    void verifyPassesWithEveryCheckListed() {
        Run r = run("attestation", "verify", "--report", MILAN_V2, "--vcek", MILAN_VCEK, "--at", "2026-06-01");
        assertThat(r.status()).as(r.out()).isZero();
        assertThat(r.out()).startsWith("PASS report-format ").contains("PASS ark ").contains("PASS chip-id ")
                .endsWith("verification passed: all 11 checks\n");
        Run chain = run("attestation", "verify", "--report", MILAN_V2, "--vcek", MILAN_VCEK, "--at", "2026-06-01T12:00:00Z",
                "--chain", file("milan/virtee_cert_chain.pem"), "--product", "milan");
        assertThat(chain.status()).as(chain.out()).isZero();
        assertThat(chain.out()).contains("ARK-Milan from " + file("milan/virtee_cert_chain.pem") + ", AMD's ARK-Milan");
    }

    @Test
    void verifyVlekAndItsExpiry() {
        assertThat(run("attestation", "verify", "--report", VLEK_REPORT, "--vlek", VLEK, "--at", "2025-06-01").status()).isZero();
        Run late = run("attestation", "verify", "--report", VLEK_REPORT, "--vlek", VLEK, "--at", "2026-11-26");
        assertThat(late.status()).isEqualTo(AttestationVerifyCommand.VERIFICATION_FAILED);
        assertThat(late.out()).contains("FAIL validity ").endsWith("verification FAILED: 1 of 11 checks failed: validity\n");
    }

    @Test
    void verifyNamesEveryFailedCheck() throws Exception {
        Run r = run("attestation", "verify", "--report", MILAN_V2, "--vlek", MILAN_VCEK, "--at", "2026-06-01",
                "--measurement", "00".repeat(48), "--report-data", "d447b55d", "--host-data", "00".repeat(32), "--json");
        assertThat(r.status()).isEqualTo(AttestationVerifyCommand.VERIFICATION_FAILED);
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("passed").asBoolean()).isFalse();
        List<String> failed = new ArrayList<>();
        j.get("failed").forEach(n -> failed.add(n.asText()));
        // The VCEK given as a VLEK: no ASVK-signed key, no VLEK selector in the report; and two expected values differ.
        assertThat(failed).containsExactly("vlek-signed-by-asvk", "signing-key", "measurement", "report-data");
        assertThat(j.get("checks")).hasSize(14);
        assertThat(j.at("/checks/13/name").asText()).isEqualTo("host-data");
        assertThat(j.at("/checks/13/status").asText()).isEqualTo("PASS");
    }

    /** A synthetic report carrying the digest of the test guest: verify computes it the way vmm measure does. */
    @Test
    void verifyComputesTheExpectedMeasurementLikeMeasure(@TempDir Path dir) throws Exception {
        Path guest = dir.resolve("guest.bin");
        Files.write(guest, TestGuest.image());
        String[] launch = {"--firmware", guest.toString(), "--cpus", "1", "--cpu-model", "EPYC-Milan", "--guest-features", "0x1"};
        String measured = measure(launch).strip();
        assertThat(measured).matches("[0-9a-f]{96}");
        Path report = dir.resolve("report.bin");
        Files.write(report, SignedReports.withMeasurement(HexFormat.of().parseHex(measured)));

        List<String> args = new ArrayList<>(List.of("attestation", "verify", "--report", report.toString(), "--vcek",
                file("synthetic/vcek.pem"), "--chain", file("synthetic/cert_chain.pem"), "--at", "2026-06-01"));
        args.addAll(List.of(launch));
        Run r = run(args.toArray(String[]::new));
        assertThat(r.status()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("PASS measurement ").contains(measured + " as expected (expected from vmm measure --mode snp --firmware "
                + guest + " --cpus 1 --cpu-model EPYC-Milan)");

        // Another CPU model puts another CPUID signature into the VMSA, so another digest.
        args.set(args.indexOf("EPYC-Milan"), "EPYC-Genoa");
        Run genoa = run(args.toArray(String[]::new));
        assertThat(genoa.status()).isEqualTo(AttestationVerifyCommand.VERIFICATION_FAILED);
        assertThat(genoa.out()).contains("FAIL measurement ").contains("expected " + measure(launch2(launch, "EPYC-Genoa")).strip())
                .endsWith("checks failed: measurement\n");
    }

    private static String[] launch2(String[] launch, String cpuModel) {
        String[] l = launch.clone();
        l[Arrays.asList(l).indexOf("--cpu-model") + 1] = cpuModel;
        return l;
    }

    /** {@code vmm measure} prints to System.out, so it is captured for the comparison. */
    private static String measure(String... launch) {
        PrintStream saved = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        List<String> args = new ArrayList<>(List.of("measure", "--mode", "snp"));
        args.addAll(List.of(launch));
        try {
            System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
            Run r = run(args.toArray(String[]::new));
            assertThat(r.status()).as(r.err()).isZero();
        } finally {
            System.setOut(saved);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void usageErrorsExitOneWithOneLine() {
        String[][] cases = {
                {"--report", "/nonexistent/r.bin", "--vcek", MILAN_VCEK},
                {"--report", MILAN_V2, "--vcek", MILAN_VCEK, "--measurement", "00".repeat(47)},
                {"--report", MILAN_V2, "--vcek", MILAN_VCEK, "--host-data", "zz"},
                {"--report", MILAN_V2, "--vcek", MILAN_VCEK, "--report-data", "00".repeat(65)},
                {"--report", MILAN_V2, "--vcek", MILAN_VCEK, "--at", "yesterday"},
                {"--report", MILAN_V2, "--vcek", MILAN_VCEK, "--product", "rome"},
                {"--report", MILAN_V2, "--vcek", MILAN_VCEK, "--cpu-model", "EPYC-Milan"},
                {"--report", MILAN_V2, "--vcek", MILAN_VCEK, "--measurement", "00".repeat(48), "--firmware", MILAN_V2},
                {"--report", MILAN_V2, "--vcek", MILAN_VCEK, "--chain", MILAN_V2},
        };
        String[] expected = {
                "vmm: error: --report: /nonexistent/r.bin: no such file\n",
                "vmm: error: --measurement must be 48 bytes (96 hex digits), not 47\n",
                "vmm: error: --host-data: 'zz' is not a string of hex digits\n",
                "vmm: error: --report-data: 65 bytes; REPORT_DATA has 64\n",
                "vmm: error: --at: 'yesterday' is not a date (2026-06-01) or an instant (2026-06-01T12:00:00Z)\n",
                "vmm: error: --product: 'rome' is not one of milan, genoa, turin, venice\n",
                "vmm: error: --cpus, --cpu-model, --guest-features, --kernel, --initrd, --append and --launch-log describe the launch to "
                        + "measure and need --firmware\n",
                "vmm: error: --measurement and --firmware both give the expected measurement; use one\n",
                "vmm: error: " + MILAN_V2 + ": DER certificate: not a certificate: neither PEM (no -----BEGIN line) nor DER "
                        + "(which starts with a SEQUENCE, 0x30; this starts with 0x02)\n",
        };
        for (int i = 0; i < cases.length; i++) {
            List<String> args = new ArrayList<>(List.of("attestation", "verify"));
            args.addAll(List.of(cases[i]));
            Run r = run(args.toArray(String[]::new));
            assertThat(r.status()).as(String.join(" ", cases[i])).isEqualTo(VmmCommand.USAGE_ERROR);
            assertThat(r.err()).startsWith(expected[i]);
            assertThat(r.out()).isEmpty();
        }
        Run both = run("attestation", "verify", "--report", MILAN_V2, "--vcek", MILAN_VCEK, "--vlek", VLEK);
        assertThat(both.status()).isEqualTo(VmmCommand.USAGE_ERROR);
        assertThat(both.err()).startsWith("vmm: error: --vcek=CERT, --vlek=CERT are mutually exclusive").hasLineCount(1);
        assertThat(run("attestation", "verify", "--report", MILAN_V2).status()).isEqualTo(VmmCommand.USAGE_ERROR);
    }
}
