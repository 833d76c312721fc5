package dev.vmm.app.cli;

import dev.vmm.app.config.ConfigFiles;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vmm.app.attestation.ReportJson;
import dev.vmm.app.attestation.ReportText;
import dev.vmm.sev.attest.AttestationReport;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vmm attestation show}: every field of a report, decoded; no verification. */
@Command(name = "show", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Print every field of an attestation report (1184 bytes, versions 2, 3 and 5), decoded. "
                + "Nothing is verified: use 'vmm attestation verify' for that."})
public final class AttestationShowCommand implements Callable<Integer> {
    @Option(names = "--report", required = true, paramLabel = "FILE", description = "The report (raw bytes, as snpguest writes it).")
    Path report;

    @Option(names = "--product", paramLabel = "milan|genoa|turin|venice",
            description = "CPU generation of a version 2 report, which has no CPUID (decides its TCB layout).")
    String product;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        AttestationReport r = AttestationReport.parse(report.toString(), ConfigFiles.read("--report", report),
                AttestationCommand.product(product));
        var out = spec.commandLine().getOut();
        if (json) {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(ReportJson.of(r)));
        } else {
            out.print(ReportText.of(r));
        }
        out.flush();
        return 0;
    }
}
