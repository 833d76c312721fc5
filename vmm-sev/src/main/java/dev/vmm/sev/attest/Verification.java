package dev.vmm.sev.attest;

import java.util.List;

/** Every check of one verification, in the order they ran; it passes only if all of them pass. */
public record Verification(List<Check> checks) {
    public Verification {
        checks = List.copyOf(checks);
    }

    public boolean passed() {
        return checks.stream().allMatch(Check::passed);
    }

    public List<Check> failures() {
        return checks.stream().filter(c -> !c.passed()).toList();
    }

    /** The check of that name; fails if it did not run (a test helper and a guard for callers). */
    public Check check(String name) {
        return checks.stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no check named " + name + " in " + checks));
    }
}
