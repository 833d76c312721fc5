package dev.vmm.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** run's options, declared in code (OptionTable), land where the annotated ones did. */
class RunOptionsTest {
    private static RunCommand parse(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "run";
        System.arraycopy(args, 0, all, 1, args.length);
        CommandLine cli = VmmCommand.commandLine(all);
        cli.parseArgs(all);
        return cli.getSubcommands().get("run").getCommand();
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        RunCommand run = parse();
        assertThat(run.memory).isEqualTo("128M");
        assertThat(run.cpus).isEqualTo(1);
        assertThat(run.serial).isEqualTo("stdio");
        assertThat(run.console).isEqualTo("none");
        assertThat(run.psp).isEqualTo("kvm");
        assertThat(run.kvmDevice).isEqualTo(Path.of("/dev/kvm"));
        assertThat(run.rng).isFalse();
        assertThat(run.disks).isEmpty();
        assertThat(run.launch.guestFeatures).isEqualTo("0x1");
        assertThat(run.launch.kernel).isNull();
    }

    @Test
    void everyKindOfOptionIsSet() {
        RunCommand run = parse("-m", "2G", "--cpus", "4", "--rng", "-v", "--disk", "path=a", "--disk", "path=b",
                "--firmware", "/x/OVMF.fd", "--kernel", "/x/bzImage", "--append", "console=ttyS0", "--serial=none");
        assertThat(run.memory).isEqualTo("2G");
        assertThat(run.cpus).isEqualTo(4);
        assertThat(run.rng).isTrue();
        assertThat(run.verbose).isTrue();
        assertThat(run.disks).containsExactly("path=a", "path=b");
        assertThat(run.firmware).isEqualTo(Path.of("/x/OVMF.fd"));
        assertThat(run.launch.kernel).isEqualTo(Path.of("/x/bzImage"));
        assertThat(run.launch.append).isEqualTo("console=ttyS0");
        assertThat(run.serial).isEqualTo("none");
    }

    @Test
    void theLaunchOptionsAreMixedIntoTheAnnotatedCommands() {
        CommandLine cli = VmmCommand.commandLine(new String[] {"measure"});
        assertThat(cli.getSubcommands().get("measure").getCommandSpec().optionsMap()).containsKeys("--kernel", "--cpu-model");
        CommandLine all = VmmCommand.commandLine();
        assertThat(all.getSubcommands().get("attestation").getSubcommands().get("verify").getCommandSpec().optionsMap())
                .containsKeys("--kernel", "--launch-log");
    }
}
