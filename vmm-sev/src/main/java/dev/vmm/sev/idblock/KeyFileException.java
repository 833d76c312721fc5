package dev.vmm.sev.idblock;

import dev.vmm.core.VmmException;

/** A key file that cannot be used for signing: the message names the file and what is wrong at which offset. */
public class KeyFileException extends VmmException {
    public KeyFileException(String message) {
        super(message);
    }
}
