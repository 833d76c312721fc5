package dev.vmm.sev.launch;

/** A confidential launch that cannot proceed: wrong inputs or steps out of order; the message says which. */
public class LaunchException extends RuntimeException {
    public LaunchException(String message) {
        super(message);
    }

    public LaunchException(String message, Throwable cause) {
        super(message, cause);
    }
}
