package dev.vmm.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** Every subcommand has help, and a usage error is status 1 in each, so that 2 keeps its meaning of "a check failed". */
class UsageErrorTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @ParameterizedTest
    @ValueSource(strings = {"", "run", "measure", "id-block", "attestation show", "attestation verify",
        "platform", "platform status", "host", "host check"})
    void aBadCommandLineIsStatus1AndExplained(String command) {
        assertThat(execute(command, "--no-such-option")).isEqualTo(VmmCommand.USAGE_ERROR);
        // picocli names the first problem it meets: the unknown option, or a required one missing.
        assertThat(err.toString()).containsAnyOf("--no-such-option", "Missing required option");
        assertThat(err.toString().lines().toList()).as(err.toString()).hasSize(1).first().asString()
                .startsWith("vmm: error: ").endsWith("(see 'vmm" + (command.isEmpty() ? "" : " " + command) + " --help')");
    }

    /** What picocli explains in a paragraph of usage is one line each, naming the option (issue 15). */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"run --cpus x|--cpus", "run extra|extra", "measure|--mode",
        "run --memory|--memory", "attestation show --json|--report"})
    void aUsageErrorIsOneLineNamingTheOption(String command, String named) {
        CommandLine cli = VmmCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        assertThat(cli.execute(command.split(" "))).isEqualTo(VmmCommand.USAGE_ERROR);
        assertThat(err.toString().lines().toList()).as(err.toString()).hasSize(1).first().asString()
                .startsWith("vmm: error: ").contains(named).endsWith(" --help')");
        assertThat(out.toString()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"run", "measure", "id-block", "attestation show", "attestation verify", "platform",
        "platform status", "platform snp-set-config", "platform vlek-load", "host check"})
    void everyCommandHasHelp(String command) {
        assertThat(execute(command, "--help")).isZero();
        assertThat(out.toString()).startsWith("Usage: vmm " + command);
    }

    @ParameterizedTest
    @ValueSource(strings = {"--cpus", "--guest-features", "--cpu-model"})
    void idBlockRefusesMeasureOptionsBesideAGivenDigest(String option) {
        String value = option.equals("--cpu-model") ? "EPYC-Milan" : "2";
        String args = "id-block --digest " + "ab".repeat(48) + " " + option + " " + value + " --id-key id.pem"
                + " --family-id " + "00".repeat(16) + " --image-id " + "00".repeat(16) + " --policy 0x30000"
                + " --out-block b.bin --out-auth a.bin";
        CommandLine cli = VmmCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        assertThat(cli.execute(args.split(" "))).isEqualTo(VmmCommand.USAGE_ERROR);
        assertThat(err.toString()).contains("--digest gives the launch digest");
    }

    /** {@code vmm COMMAND OPTION}, with its output in {@link #out} and {@link #err}. */
    private int execute(String command, String option) {
        CommandLine cli = VmmCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        String[] words = command.isEmpty() ? new String[0] : command.split(" ");
        String[] args = Arrays.copyOf(words, words.length + 1);
        args[words.length] = option;
        return cli.execute(args);
    }
}
