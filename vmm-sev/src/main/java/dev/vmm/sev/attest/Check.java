package dev.vmm.sev.attest;

/**
 * The outcome of one named verification check.
 *
 * @param name a stable identifier ({@code report-signature}, {@code chip-id}, ...)
 * @param detail what was compared, and on failure why it failed
 */
public record Check(String name, boolean passed, String detail) {
    static Check pass(String name, String detail) {
        return new Check(name, true, detail);
    }

    static Check fail(String name, String detail) {
        return new Check(name, false, detail);
    }

    public String status() {
        return passed ? "PASS" : "FAIL";
    }
}
