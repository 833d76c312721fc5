package dev.vmm.firmware;

import dev.vmm.core.VmmException;

/** A firmware image that cannot be used; the message names the file and the problem. */
public class FirmwareException extends VmmException {
    public FirmwareException(String message) {
        super(message);
    }
}
