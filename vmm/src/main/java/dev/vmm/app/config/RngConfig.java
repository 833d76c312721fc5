package dev.vmm.app.config;

/** A virtio-rng device; its bytes come from the host kernel's generator (getrandom), the only source. */
public record RngConfig(String source) {
    public static final String GETRANDOM = "getrandom";

    public RngConfig {
        source = source == null ? GETRANDOM : source;
    }

    void validate(String field) {
        if (!source.equals(GETRANDOM)) {
            throw new ConfigException(field + ".source", "'" + source + "' is not " + GETRANDOM + " (the only source)");
        }
    }
}
