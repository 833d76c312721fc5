package dev.vmm.sev.host;

/**
 * One line of {@code vmm host check}: what was checked, the verdict, why, and (for a failure) how to
 * fix it. {@code required}: a FAIL here means SNP guests cannot be launched on this host.
 */
public record HostCheck(String name, Verdict verdict, String detail, String hint, boolean required) {
    public enum Verdict { PASS, FAIL, SKIP }

    public static HostCheck pass(String name, String detail, boolean required) {
        return new HostCheck(name, Verdict.PASS, detail, "", required);
    }

    public static HostCheck fail(String name, String detail, String hint, boolean required) {
        return new HostCheck(name, Verdict.FAIL, detail, hint, required);
    }

    public static HostCheck skip(String name, String detail, boolean required) {
        return new HostCheck(name, Verdict.SKIP, detail, "", required);
    }

    /** A required check that did not pass: either it failed, or it could not be made (nothing to show SNP works). */
    public boolean blocksSnp() {
        return required && verdict == Verdict.FAIL;
    }
}
