package dev.vmm.firmware;

/** A firmware image that cannot be used; the message names the file and the problem. */
public class FirmwareException extends RuntimeException {
    public FirmwareException(String message) {
        super(message);
    }
}
