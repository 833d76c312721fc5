package dev.vmm.sev.platform;

/** The platform cannot be reached or an input is unusable (a missing device, a malformed certificate file). */
public class PlatformException extends RuntimeException {
    public PlatformException(String message) {
        super(message);
    }

    public PlatformException(String message, Throwable cause) {
        super(message, cause);
    }
}
