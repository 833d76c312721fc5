package dev.vmm.core;

/**
 * An error a user can act on: its message is one complete line that names the file, field, option or
 * call and says what is wrong. The command line prints it as it is; anything else that escapes is a bug.
 */
public abstract class VmmException extends RuntimeException {
    protected VmmException(String message) {
        super(message);
    }

    protected VmmException(String message, Throwable cause) {
        super(message, cause);
    }
}
