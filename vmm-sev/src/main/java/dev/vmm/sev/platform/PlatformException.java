package dev.vmm.sev.platform;

import dev.vmm.core.VmmException;

/** The platform cannot be reached or an input is unusable (a missing device, a malformed certificate file). */
public class PlatformException extends VmmException {
    public PlatformException(String message) {
        super(message);
    }

    public PlatformException(String message, Throwable cause) {
        super(message, cause);
    }
}
