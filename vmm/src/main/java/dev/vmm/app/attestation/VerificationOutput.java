package dev.vmm.app.attestation;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vmm.sev.attest.Check;
import dev.vmm.sev.attest.Verification;
import java.util.stream.Collectors;

/** A verification as lines ({@code PASS name: detail}) with a summary, or as JSON. */
public final class VerificationOutput {
    private VerificationOutput() {}

    public static String text(Verification v) {
        int width = v.checks().stream().mapToInt(c -> c.name().length()).max().orElse(0);
        StringBuilder b = new StringBuilder();
        for (Check c : v.checks()) {
            b.append(String.format("%s %-" + width + "s  %s%n", c.status(), c.name(), c.detail()));
        }
        b.append(summary(v)).append('\n');
        return b.toString();
    }

    public static String summary(Verification v) {
        return v.passed() ? "verification passed: all " + v.checks().size() + " checks"
                : "verification FAILED: " + v.failures().size() + " of " + v.checks().size() + " checks failed: "
                        + v.failures().stream().map(Check::name).collect(Collectors.joining(", "));
    }

    public static ObjectNode json(Verification v) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("passed", v.passed());
        ArrayNode failed = o.putArray("failed");
        v.failures().forEach(c -> failed.add(c.name()));
        ArrayNode checks = o.putArray("checks");
        for (Check c : v.checks()) {
            checks.addObject().put("name", c.name()).put("status", c.status()).put("detail", c.detail());
        }
        return o;
    }
}
