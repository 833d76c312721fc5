package dev.vmm.app.machine;

import dev.vmm.core.VmmException;

/** A machine build step failed; the message names the step and the cause. */
public class BuildException extends VmmException {
    private final String step;

    public BuildException(String step, Throwable cause) {
        super(step + ": " + cause.getMessage(), cause);
        this.step = step;
    }

    public String step() {
        return step;
    }
}
