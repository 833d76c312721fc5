package dev.vmm.sev.psp;

import dev.vmm.core.VmmException;
import dev.vmm.core.sys.Errno;

/**
 * A SEV command the kernel or the firmware refused: names the command, the errno and, when the
 * firmware was called, its status code.
 */
public class PspException extends VmmException {
    private final String command;
    private final int errno;
    private final int firmwareError;

    /** @param firmwareError the firmware status, or 0 when the firmware was not called */
    public PspException(String command, int errno, int firmwareError, String detail) {
        super(command + ": " + Errno.describe(errno)
                + (firmwareError != 0 ? ", firmware error " + FirmwareError.describe(firmwareError) : "")
                + (detail == null || detail.isEmpty() ? "" : ": " + detail));
        this.command = command;
        this.errno = errno;
        this.firmwareError = firmwareError;
    }

    public String command() {
        return command;
    }

    public int errno() {
        return errno;
    }

    public int firmwareError() {
        return firmwareError;
    }
}
