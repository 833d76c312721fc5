package dev.vmm.app.cli;

import dev.vmm.app.config.ConfigException;
import dev.vmm.core.VmmException;
import dev.vmm.sev.launch.SevUnavailableException;
import dev.vmm.sev.platform.NoSevDeviceException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The {@code vmm} command and its subcommands. It and {@code run} are declared in code (see
 * {@link OptionTable}); the other subcommands with picocli's annotations.
 */
public final class VmmCommand {
    /** Status for errors the user can fix (bad option value, missing file, no KVM). */
    public static final int USAGE_ERROR = 1;

    /**
     * The subcommands, in the order of the usage. picocli reads a command's annotations when it is added
     * (about 5 ms per command here), so a command line that names one gets only that one.
     */
    private static final Map<String, Supplier<Object>> SUBCOMMANDS = subcommands();

    private static Map<String, Supplier<Object>> subcommands() {
        Map<String, Supplier<Object>> all = new LinkedHashMap<>();
        all.put("run", () -> new CommandLine(new RunCommand().spec()));
        all.put("measure", MeasureCommand::new);
        all.put("id-block", IdBlockCommand::new);
        all.put("attestation", AttestationCommand::new);
        all.put("platform", PlatformCommand::new);
        all.put("host", HostCommand::new);
        all.put("api", ApiCommand::new);
        all.put("help", CommandLine.HelpCommand::new);
        return all;
    }

    public static int execute(String... args) {
        configureLogging(false);
        return commandLine(args).execute(args);
    }

    /** The whole command line with this program's error handling; tests redirect its output streams. */
    static CommandLine commandLine() {
        return commandLine(new String[0]);
    }

    /**
     * The command line for these arguments: when the first names a subcommand other than {@code help},
     * only that subcommand is built; otherwise (usage, help, a mistyped name) all of them are.
     */
    static CommandLine commandLine(String[] args) {
        // Groovy closures in annotations: picocli would look for Groovy on the class path, a lookup
        // that misses (20 ms when the VMM was 20 jars).
        System.setProperty("picocli.disable.closures", "true");
        CommandSpec top = CommandSpec.wrapWithoutInspection(new VmmCommand()).name("vmm").versionProvider(new Version());
        top.usageMessage().description("A KVM virtual machine monitor for confidential (AMD SEV-SNP) guests.");
        new OptionTable(top).standardHelp();
        CommandLine cli = new CommandLine(top);
        String first = args.length > 0 ? args[0] : "";
        if (SUBCOMMANDS.containsKey(first) && !first.equals("help")) {
            cli.addSubcommand(first, SUBCOMMANDS.get(first).get());
        } else {
            SUBCOMMANDS.forEach((name, command) -> cli.addSubcommand(name, command.get()));
        }
        cli.setExecutionExceptionHandler(VmmCommand::handle);
        cli.setParameterExceptionHandler(VmmCommand::usageError);
        // picocli's default for a bad option is 2, which `attestation verify` and `host check` use for
        // "checks failed"; every subcommand reports a usage error as 1 instead.
        setUsageErrorStatus(cli);
        mixInLaunchOptions(cli);
        return cli;
    }

    private static void mixInLaunchOptions(CommandLine cmd) {
        if (cmd.getCommand() instanceof LaunchOptions.Taker t) {
            // After the command's own options and before the help options (@Mixin had put them where
            // its field was).
            CommandSpec spec = cmd.getCommandSpec();
            var help = spec.options().stream().filter(o -> o.usageHelp() || o.versionHelp()).toList();
            help.forEach(spec::remove);
            spec.addMixin("launch", t.launchOptions().mixin());
            help.forEach(spec::addOption);
        }
        cmd.getSubcommands().values().forEach(VmmCommand::mixInLaunchOptions);
    }

    private static void setUsageErrorStatus(CommandLine cmd) {
        cmd.getCommandSpec().exitCodeOnInvalidInput(USAGE_ERROR);
        cmd.getSubcommands().values().forEach(VmmCommand::setUsageErrorStatus);
    }

    /**
     * A bad command line is one line, as every other error: what is wrong, then where the usage is
     * (picocli's default prints the whole usage, 25-64 lines, without our prefix).
     */
    private static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        String message = e.getMessage().lines().map(String::strip).reduce((a, b) -> a + " " + b).orElse("bad arguments")
                .replaceFirst("^Error: ", "");
        err.println("vmm: error: " + message + " (see '" + cmd.getCommandSpec().qualifiedName() + " --help')");
        err.flush();
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }

    /** Expected failures become one line on stderr; anything else keeps its stack trace (a bug). */
    private static int handle(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        if (e instanceof VmmException || e instanceof CommandLine.ParameterException) {
            err.println("vmm: error: " + message(e));
            err.flush();
            return USAGE_ERROR;
        }
        err.println("vmm: internal error:");
        e.printStackTrace(err);
        err.flush();
        return USAGE_ERROR;
    }

    /** The lower layers name fields and say what is missing; here they get the options and the way out. */
    private static String message(Exception e) {
        return switch (e) {
            case ConfigException c -> c.render(OptionNames::of);
            case SevUnavailableException u -> u.getMessage() + " Use --psp simulated to run the launch against the "
                    + "simulated PSP.";
            case NoSevDeviceException n -> n.getMessage() + "; use --psp simulated for the simulated platform";
            default -> e.getMessage();
        };
    }

    /** Held so that java.util.logging (which keeps loggers weakly) does not drop the level. */
    private static Logger vmmLogger;

    /**
     * Quiet runs leave java.util.logging uninitialised (it costs start-up time) until something logs;
     * verbose runs show our loggers ("vmm.*") down to FINE, and the JDK's at its default.
     */
    static void configureLogging(boolean verbose) {
        System.setProperty("java.util.logging.SimpleFormatter.format", "vmm: %4$s: %5$s%6$s%n");
        if (!verbose) {
            return;
        }
        vmmLogger = Logger.getLogger("vmm");
        vmmLogger.setLevel(Level.FINE);
        for (var h : LogManager.getLogManager().getLogger("").getHandlers()) {
            h.setLevel(Level.FINE);
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = VmmCommand.class.getPackage().getImplementationVersion();
            return new String[] {"vmm " + (v == null ? "development build" : v)
                    + " (Java " + Runtime.version() + ", KVM via the FFM API)"};
        }
    }
}
