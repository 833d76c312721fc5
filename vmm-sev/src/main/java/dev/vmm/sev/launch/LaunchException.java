package dev.vmm.sev.launch;

import dev.vmm.core.VmmException;

/** A confidential launch that cannot proceed: wrong inputs or steps out of order; the message says which. */
public class LaunchException extends VmmException {
    public LaunchException(String message) {
        super(message);
    }

    public LaunchException(String message, Throwable cause) {
        super(message, cause);
    }
}
