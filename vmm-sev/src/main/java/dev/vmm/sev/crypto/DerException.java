package dev.vmm.sev.crypto;

/** Bytes that are not the DER expected; the message says what is wrong, the caller adds the source and field. */
public final class DerException extends Exception {
    public DerException(String message) {
        super(message);
    }
}
