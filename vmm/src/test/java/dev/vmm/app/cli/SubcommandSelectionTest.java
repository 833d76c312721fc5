package dev.vmm.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** A command line naming a subcommand builds only that one (start-up); everything else sees them all. */
class SubcommandSelectionTest {
    private static final String[] ALL = {"run", "measure", "id-block", "attestation", "platform", "host", "api", "help"};

    @ParameterizedTest
    @ValueSource(strings = {"run", "measure", "id-block", "attestation", "platform", "host", "api"})
    void aNamedSubcommandIsTheOnlyOneBuilt(String name) {
        assertThat(VmmCommand.commandLine(new String[] {name, "--help"}).getSubcommands()).containsOnlyKeys(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "help", "--help", "-V", "rnu"})
    void anythingElseBuildsThemAll(String first) {
        String[] args = first.isEmpty() ? new String[0] : new String[] {first};
        assertThat(VmmCommand.commandLine(args).getSubcommands().keySet()).containsExactly(ALL);
    }

    @Test
    void helpForASubcommandStillWorks() {
        CommandLine cli = VmmCommand.commandLine(new String[] {"help", "run"});
        StringWriter out = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        assertThat(cli.execute("help", "run")).isZero();
        assertThat(out.toString()).startsWith("Usage: vmm run").contains("--memory");
    }

    @Test
    void theUsageListsEverySubcommandInOrder() {
        CommandLine cli = VmmCommand.commandLine(new String[] {"--help"});
        StringWriter out = new StringWriter();
        cli.setOut(new PrintWriter(out, true));
        assertThat(cli.execute("--help")).isZero();
        assertThat(out.toString()).containsSubsequence("  run ", "  measure ", "  id-block ", "  attestation ",
                "  platform ", "  host ", "  api ", "  help ");
    }

    @Test
    void aRunCommandLineHasTheUsualErrorStatus() {
        CommandLine cli = VmmCommand.commandLine(new String[] {"run", "--cpus", "x"});
        cli.setErr(new PrintWriter(new StringWriter(), true));
        assertThat(cli.execute("run", "--cpus", "x")).isEqualTo(VmmCommand.USAGE_ERROR);
    }
}
