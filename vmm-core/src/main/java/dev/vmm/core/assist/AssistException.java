package dev.vmm.core.assist;

/** An instruction the assist will not complete: unsupported, or it would fault; the VM then stops. */
public class AssistException extends Exception {
    public AssistException(String message) {
        super(message);
    }
}
