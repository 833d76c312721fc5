package dev.vmm.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vmm.app.attestation.VerificationOutput;
import dev.vmm.app.config.ConfigException;
import dev.vmm.app.config.ConfigFiles;
import dev.vmm.app.config.Hex;
import dev.vmm.sev.SevMode;
import dev.vmm.sev.attest.AmdChain;
import dev.vmm.sev.attest.Expected;
import dev.vmm.sev.attest.ReportVerifier;
import dev.vmm.sev.attest.SigningKey;
import dev.vmm.sev.attest.Verification;
import dev.vmm.sev.attest.VerificationRequest;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vmm attestation verify}: every check of a report against its VCEK or VLEK and AMD's chain,
 * and against the values the guest owner expects. The expected measurement can be computed here from
 * the launch inputs, exactly as {@code vmm measure --mode snp} computes it.
 */
@Command(name = "verify", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Verify an attestation report: AMD's chain (ARK, ASK or ASVK, VCEK or VLEK), the report signature, "
                + "the TCB and chip ID the key is bound to, and the expected values given. Every check runs and is printed.",
                "Exit status: 0 if every check passes, 2 if any fails, 1 on a usage error."})
public final class AttestationVerifyCommand implements LaunchOptions.Taker, Callable<Integer> {
    public static final int VERIFICATION_FAILED = 2;

    @Option(names = "--report", required = true, paramLabel = "FILE", description = "The report (raw 1184 bytes).")
    Path report;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Key key;

    static final class Key {
        @Option(names = "--vcek", required = true, paramLabel = "CERT", description = "The VCEK certificate (DER or PEM).")
        Path vcek;

        @Option(names = "--vlek", required = true, paramLabel = "CERT", description = "The VLEK certificate (DER or PEM).")
        Path vlek;
    }

    @Option(names = "--chain", paramLabel = "PEM",
            description = "ARK and ASK (and/or ASVK), e.g. KDS's cert_chain, used instead of AMD's built-in chain.")
    Path chain;

    @Option(names = "--product", paramLabel = "milan|genoa|turin|venice",
            description = "CPU generation; by default from the report's CPUID or the key's productName.")
    String product;

    @Option(names = "--at", paramLabel = "DATE",
            description = "When certificates must be valid: 2026-06-01 (UTC midnight) or 2026-06-01T12:00:00Z (default: now).")
    String at;

    @Option(names = "--measurement", paramLabel = "HEX", description = "Expected MEASUREMENT (48 bytes).")
    String measurement;

    @Option(names = "--firmware", paramLabel = "FILE",
            description = "Expect the launch digest 'vmm measure --mode snp' computes for this firmware with --cpus, "
                    + "--cpu-model, --guest-features and --kernel/--initrd/--append.")
    Path firmware;

    @Option(names = "--cpus", paramLabel = "N", defaultValue = "1", description = "With --firmware: vCPUs (default: ${DEFAULT-VALUE}).")
    int cpus;

    LaunchOptions launch = new LaunchOptions();     // mixed in by VmmCommand

    @Override
    public LaunchOptions launchOptions() {
        return launch;
    }

    @Option(names = "--report-data", paramLabel = "HEX",
            description = "Expected REPORT_DATA (up to 64 bytes; shorter values stand for themselves followed by zeros).")
    String reportData;

    @Option(names = "--host-data", paramLabel = "HEX", description = "Expected HOST_DATA (32 bytes).")
    String hostData;

    @Option(names = "--json", description = "Print the checks as JSON.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        SigningKey kind = key.vcek != null ? SigningKey.VCEK : SigningKey.VLEK;
        Path vek = kind == SigningKey.VCEK ? key.vcek : key.vlek;
        String vekOption = kind == SigningKey.VCEK ? "--vcek" : "--vlek";
        Optional<AmdChain> amdChain = chain == null ? Optional.empty()
                : Optional.of(AmdChain.read(chain.toString(), ConfigFiles.read("--chain", chain)));
        VerificationRequest q = new VerificationRequest(report.toString(), ConfigFiles.read("--report", report), kind,
                vek.toString(), ConfigFiles.read(vekOption, vek), amdChain, AttestationCommand.product(product), instant(),
                expected());
        Verification v = ReportVerifier.verify(q);
        var out = spec.commandLine().getOut();
        if (json) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(VerificationOutput.json(v)));
        } else {
            out.print(VerificationOutput.text(v));
        }
        out.flush();
        return v.passed() ? 0 : VERIFICATION_FAILED;
    }

    private Instant instant() {
        if (at == null) {
            return Instant.now();
        }
        try {
            return at.contains("T") ? Instant.parse(at) : LocalDate.parse(at).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            throw new ConfigException("--at: '" + at + "' is not a date (2026-06-01) or an instant (2026-06-01T12:00:00Z)");
        }
    }

    private Expected expected() {
        if (firmware == null && LaunchOptions.anyGiven(spec.commandLine().getParseResult())) {
            throw new ConfigException("--cpus, --cpu-model, --guest-features, --kernel, --initrd, --append and --launch-log "
                    + "describe the launch to measure and need --firmware");
        }
        if (firmware != null && measurement != null) {
            throw new ConfigException("--measurement and --firmware both give the expected measurement; use one");
        }
        Optional<byte[]> m = Optional.empty();
        String origin = "";
        if (measurement != null) {
            m = Optional.of(exact("--measurement", measurement, 48));
        } else if (firmware != null) {
            byte[] digest = ExpectedDigest.compute(SevMode.SEV_SNP, firmware, cpus, launch);
            m = Optional.of(digest);
            origin = "from vmm measure --mode snp --firmware " + firmware + " --cpus " + cpus + " --cpu-model " + launch.cpuModel
                    + (launch.kernel != null ? " --kernel " + launch.kernel : "");
        }
        Optional<byte[]> data = Optional.ofNullable(reportData).map(h -> Hex.parseBytes("--report-data", h));
        if (data.isPresent() && data.get().length > 64) {
            throw new ConfigException("--report-data: " + data.get().length + " bytes; REPORT_DATA has 64");
        }
        Optional<byte[]> host = Optional.ofNullable(hostData).map(h -> exact("--host-data", h, 32));
        return new Expected(m, origin, data, host);
    }

    private static byte[] exact(String option, String hex, int length) {
        byte[] b = Hex.parseBytes(option, hex);
        if (b.length != length) {
            throw new ConfigException(option + " must be " + length + " bytes (" + 2 * length + " hex digits), not " + b.length);
        }
        return b;
    }
}
