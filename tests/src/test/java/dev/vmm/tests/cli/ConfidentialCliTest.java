package dev.vmm.tests.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vmm.core.kvm.Kvm;
import dev.vmm.sev.SevMode;
import dev.vmm.sev.launch.SevHostSupport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code vmm run --confidential} and {@code vmm measure} as a user runs them. */
class ConfidentialCliTest {
    private static final Path TEST_GUEST = Path.of("../firmware/target/classes/dev/vmm/firmware/test-guest.bin");
    private static final Pattern DIGEST = Pattern.compile("vmm: launch digest ([0-9a-f]+)\n");

    @ParameterizedTest
    @ValueSource(strings = {"sev", "sev-es", "sev-snp"})
    void aSimulatedLaunchRunsTheGuestAndPrintsTheDigestMeasurePredicts(String mode) throws Exception {
        VmmProcess r = VmmProcess.run("run", "--confidential", mode, "--psp", "simulated", "--cpu-model", "EPYC-Milan");
        assertThat(r.status()).as(r.stderr()).isZero();
        assertThat(r.stdout()).contains("vCPUs online: 1 of 1").endsWith("exit 0\n");
        assertThat(r.stderr()).startsWith("vmm: " + mode + " launch via simulated PSP (SIMULATED");
        Matcher m = DIGEST.matcher(r.stderr());
        assertThat(m.find()).isTrue();
        VmmProcess measure = VmmProcess.run("measure", "--mode", mode, "--firmware", TEST_GUEST.toString(),
                "--cpu-model", "EPYC-Milan");
        assertThat(measure.stdout().strip()).isEqualTo(m.group(1));
        if (!mode.equals("sev-snp")) {
            assertThat(r.stderr()).containsPattern("vmm: LAUNCH_MEASURE [0-9a-f]{96} ");
        }
    }

    @Test
    void withoutSevTheRealPspSaysWhatIsMissing() throws Exception {
        List<String> missing;
        try (Kvm kvm = Kvm.open()) {
            missing = SevHostSupport.missing(SevMode.SEV_SNP, kvm, SevHostSupport.SEV_DEVICE,
                    Path.of("/sys/module/kvm_amd/parameters"));
        }
        if (missing.isEmpty()) {
            // An SNP host: the real launch must get through to the digest. What the test guest does after
            // that is not this test's business (it is no SNP guest: it has no #VC handler).
            Process p = VmmProcess.start("run", "--confidential", "sev-snp", "--cpu-model", "host", "--serial", "none");
            // Not try-with-resources: closing a reader another thread is blocked in would wait for it.
            var err = new java.io.BufferedReader(new java.io.InputStreamReader(p.getErrorStream()));
            try {
                var first = java.util.concurrent.CompletableFuture.supplyAsync(() -> err.lines()
                        .filter(l -> l.startsWith("vmm: launch digest ") || l.startsWith("vmm: error: ")).findFirst());
                assertThat(first.get(60, java.util.concurrent.TimeUnit.SECONDS))
                        .hasValueSatisfying(l -> assertThat(l).startsWith("vmm: launch digest "));
            } finally {
                p.destroyForcibly();
            }
            return;
        }
        VmmProcess r = VmmProcess.run("run", "--confidential", "sev-snp");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.stderr()).hasLineCount(1).startsWith("vmm: error: sev-snp is not available on this host: ")
                .endsWith("Use --psp simulated to run the launch against the simulated PSP.\n");
        for (String m : missing) {
            assertThat(r.stderr()).contains(m);
        }
    }

    @Test
    void measureFormatsAndLogs(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("log.json");
        VmmProcess hex = VmmProcess.run("measure", "--mode", "snp", "--firmware", "/usr/share/ovmf/OVMF.fd", "--cpu-model",
                "EPYC-v4", "--launch-log", log.toString());
        VmmProcess b64 = VmmProcess.run("measure", "--mode", "snp", "--firmware", "/usr/share/ovmf/OVMF.fd", "--cpu-model",
                "EPYC-v4", "--output-format", "base64");
        assertThat(Base64.getDecoder().decode(b64.stdout().strip())).isEqualTo(HexFormat.of().parseHex(hex.stdout().strip()));
        JsonNode json = new ObjectMapper().readTree(Files.readString(log));
        assertThat(json.get("digest").asText()).isEqualTo(hex.stdout().strip());
        assertThat(json.get("cpuSignature").asText()).isEqualTo("0x800f12");
        JsonNode ranges = json.get("ranges");
        assertThat(ranges.get(0).get("gpa").asText()).isEqualTo("0xffe00000");
        assertThat(ranges.get(0).get("pageType").asText()).isEqualTo("normal");
        assertThat(ranges.get(ranges.size() - 1).get("pageType").asText()).isEqualTo("vmsa");
        assertThat(ranges.get(ranges.size() - 1).get("digestAfter").asText()).isEqualTo(json.get("digest").asText());
        assertThat(ranges.findValuesAsText("pageType")).contains("zero", "secrets", "cpuid");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "measure --mode snp --firmware /usr/share/ovmf/OVMF.fd|vmm: error: --cpu-model: is needed for sev-snp",
        "measure --mode tdx --firmware /usr/share/ovmf/OVMF.fd|vmm: error: --mode: 'tdx' is not a confidential mode",
        "measure --mode sev --firmware /nonexistent.fd|vmm: error: /nonexistent.fd: no such firmware file",
        "measure --mode snp --firmware /usr/share/ovmf/OVMF.fd --cpu-model EPYC-v9|vmm: error: --cpu-model: unknown model 'EPYC-v9'",
        "measure --mode snp --firmware /usr/share/ovmf/OVMF.fd --cpu-model EPYC --kernel pom.xml|vmm: error: /usr/share/ovmf/OVMF.fd has no SEV hashes table",
        "run --confidential sev-es --psp simulated --cpus 2|vmm: error: embedded test guest has no SEV-ES reset block",
        "run --confidential sev-snp --psp simulated --policy 0x10000|vmm: error: --policy: 0x10000: bit 17 is reserved and must be 1",
        "run --confidential sev-snp --psp simulated --host-data 00|vmm: error: --host-data: must be 32 bytes",
        "run --confidential sgx|vmm: error: --confidential: 'sgx' is not a confidential mode",
        "run --policy 0x1|vmm: error: --policy, --host-data, --id-block, --id-auth, --author-key-enabled and --launch-log need --confidential",
    })
    void badInputIsOneLine(String spec) throws Exception {
        String[] parts = spec.split("\\|");
        VmmProcess r = VmmProcess.run(parts[0].split(" "));
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.stderr()).startsWith(parts[1]).hasLineCount(1).doesNotContain("\tat ");
    }
}
