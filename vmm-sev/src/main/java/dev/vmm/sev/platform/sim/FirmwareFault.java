package dev.vmm.sev.platform.sim;

import dev.vmm.sev.psp.FirmwareError;

/** The simulated firmware refused a command with {@code status}; the device turns it into EIO plus the code. */
final class FirmwareFault extends RuntimeException {
    private final FirmwareError status;

    FirmwareFault(FirmwareError status, String why) {
        super(status.name() + ": " + why);
        this.status = status;
    }

    FirmwareError status() {
        return status;
    }
}
