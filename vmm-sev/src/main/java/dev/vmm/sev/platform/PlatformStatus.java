package dev.vmm.sev.platform;

/**
 * SEV PLATFORM_STATUS ({@code struct sev_user_data_status}).
 *
 * @param flags bit 0 OWNER (1: externally owned, an OCA was imported), bit 8 CONFIG_ES (SEV-ES initialised)
 */
public record PlatformStatus(int apiMajor, int apiMinor, PlatformState state, int flags, int build, long guestCount) {
    /** PLATFORM_STATUS {@code flags} bit 0: the platform is owned by an external OCA. */
    public static final int FLAG_OWNER = 0x1;

    public boolean externallyOwned() {
        return (flags & FLAG_OWNER) != 0;
    }

    public boolean sevEsInitialised() {
        return (flags & PlatformLayouts.STATUS_FLAGS_CONFIG_ES) != 0;
    }
}
