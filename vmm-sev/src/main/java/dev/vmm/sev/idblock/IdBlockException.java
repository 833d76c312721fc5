package dev.vmm.sev.idblock;

import dev.vmm.core.VmmException;

/**
 * An ID block or ID authentication structure the firmware would refuse: the message names the
 * structure, field and offset. {@link #problem()} says which kind of refusal it is.
 */
public class IdBlockException extends VmmException {
    /** INVALID: a field holds a value the ABI does not allow; BAD_SIGNATURE: a signature does not verify. */
    public enum Problem { INVALID, BAD_SIGNATURE }

    private final Problem problem;

    public IdBlockException(Problem problem, String message) {
        super(message);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
