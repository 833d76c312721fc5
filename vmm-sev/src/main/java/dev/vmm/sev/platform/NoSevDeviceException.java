package dev.vmm.sev.platform;

/** The host has no /dev/sev at all (no SEV firmware driver), as opposed to one this user cannot open. */
public final class NoSevDeviceException extends PlatformException {
    public NoSevDeviceException(String message) {
        super(message);
    }
}
