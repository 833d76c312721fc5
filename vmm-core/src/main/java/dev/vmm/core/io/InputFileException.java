package dev.vmm.core.io;

import dev.vmm.core.VmmException;

/** A file the user named cannot be used as it is: its message names the file and says why. */
public final class InputFileException extends VmmException {
    public InputFileException(String message) {
        super(message);
    }
}
