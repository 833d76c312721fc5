package dev.vmm.app.api;

/** A request the API refuses: its HTTP status and a message for the one JSON error shape. */
public final class ApiException extends RuntimeException {
    private final int status;

    public ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
