package dev.vmm.app.machine;

/** A machine build step failed; the message names the step and the cause. */
public class BuildException extends RuntimeException {
    private final String step;

    public BuildException(String step, Throwable cause) {
        super(step + ": " + cause.getMessage(), cause);
        this.step = step;
    }

    public String step() {
        return step;
    }
}
