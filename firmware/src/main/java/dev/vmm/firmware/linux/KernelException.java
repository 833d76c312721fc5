package dev.vmm.firmware.linux;

import dev.vmm.core.VmmException;

/** A kernel, initrd or command line that cannot boot; the message names the file and the field. */
public final class KernelException extends VmmException {
    public KernelException(String message) {
        super(message);
    }
}
