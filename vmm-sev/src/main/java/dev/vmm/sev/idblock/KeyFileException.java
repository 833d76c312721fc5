package dev.vmm.sev.idblock;

/** A key file that cannot be used for signing: the message names the file and what is wrong at which offset. */
public class KeyFileException extends RuntimeException {
    public KeyFileException(String message) {
        super(message);
    }
}
