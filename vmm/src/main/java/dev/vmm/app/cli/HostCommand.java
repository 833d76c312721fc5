package dev.vmm.app.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.vmm.sev.host.HostCheck;
import dev.vmm.sev.host.HostPaths;
import dev.vmm.sev.host.HostReadiness;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vmm host}: questions about this host. */
@Command(name = "host", mixinStandardHelpOptions = true, description = "About this host.",
        subcommands = HostCommand.Check.class)
public final class HostCommand {
    /** Exit status of {@code host check} when SNP guests cannot be launched here. */
    public static final int NOT_READY = 2;

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Whether this host can launch SEV-SNP guests: each requirement PASS, FAIL or SKIP, "
                    + "with the reason and a hint. Exits with " + NOT_READY + " when SNP guests cannot be launched.")
    static final class Check implements Callable<Integer> {
        @Option(names = "--json", description = "Print JSON instead of text.")
        boolean json;

        @Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            List<HostCheck> checks = new HostReadiness(HostPaths.real()).run();
            List<HostCheck> blocking = checks.stream().filter(HostCheck::blocksSnp).toList();
            boolean ready = blocking.isEmpty();
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("snp_ready", ready);
                doc.put("checks", checks.stream().map(c -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("name", c.name());
                    m.put("result", c.verdict().name());
                    m.put("detail", c.detail());
                    if (!c.hint().isEmpty()) {
                        m.put("hint", c.hint());
                    }
                    m.put("required", c.required());
                    return m;
                }).toList());
                try {
                    out.println(PlatformCommand.json().writeValueAsString(doc));
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException(e);
                }
            } else {
                int width = checks.stream().mapToInt(c -> c.name().length()).max().orElse(10);
                for (HostCheck c : checks) {
                    out.printf("%-4s  %-" + width + "s  %s%n", c.verdict(), c.name(), c.detail());
                    if (!c.hint().isEmpty()) {
                        out.printf("      %-" + width + "s  hint: %s%n", "", c.hint());
                    }
                }
                out.println(ready ? "SNP guests: can be launched on this host"
                        : "SNP guests: cannot be launched on this host (" + blocking.size() + " required checks failed: "
                        + String.join(", ", blocking.stream().map(HostCheck::name).toList()) + ")");
            }
            out.flush();
            return ready ? 0 : NOT_READY;
        }
    }
}
