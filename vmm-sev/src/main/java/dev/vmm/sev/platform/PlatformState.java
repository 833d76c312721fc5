package dev.vmm.sev.platform;

/**
 * The SEV platform state of PLATFORM_STATUS ({@code enum sev_state} in the kernel, SEV API "Platform
 * State Machine"): UNINIT until INIT; WORKING while at least one guest is active.
 */
public enum PlatformState {
    UNINIT, INIT, WORKING;

    /** The state for a status byte; values the API does not define are an error naming the value. */
    public static PlatformState of(long value) {
        if (value < 0 || value >= values().length) {
            throw new PlatformException("platform state " + value + " is not UNINIT (0), INIT (1) or WORKING (2)");
        }
        return values()[(int) value];
    }
}
