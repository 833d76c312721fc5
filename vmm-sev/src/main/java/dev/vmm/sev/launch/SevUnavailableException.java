package dev.vmm.sev.launch;

import dev.vmm.sev.SevMode;
import java.util.List;

/** The host cannot launch {@code mode} guests for real; {@link #missing()} says what it lacks. */
public final class SevUnavailableException extends LaunchException {
    private final SevMode mode;
    private final List<String> missing;

    public SevUnavailableException(SevMode mode, List<String> missing) {
        super(mode.runName() + " is not available on this host: " + String.join("; ", missing) + ".");
        this.mode = mode;
        this.missing = List.copyOf(missing);
    }

    public SevMode mode() {
        return mode;
    }

    public List<String> missing() {
        return missing;
    }
}
