package dev.vmm.app.config;

import java.nio.file.Files;
import java.nio.file.Path;

/** A virtio-blk disk backed by a raw image file. */
public record DiskConfig(Path path, boolean readonly) {
    /** Cloud Hypervisor's form: {@code path=FILE[,readonly=on|off]}. */
    public static DiskConfig parse(String spec) {
        Path path = null;
        boolean readonly = false;
        for (String part : spec.split(",")) {
            int eq = part.indexOf('=');
            String key = eq < 0 ? part : part.substring(0, eq);
            String value = eq < 0 ? "" : part.substring(eq + 1);
            switch (key) {
                case "path" -> path = value.isEmpty() ? null : Path.of(value);
                case "readonly" -> readonly = switch (value) {
                    case "on", "true" -> true;
                    case "off", "false" -> false;
                    default -> throw new ConfigException("disks", "readonly='" + value + "' in '" + spec + "' is not on or off");
                };
                default -> throw new ConfigException("disks", "unknown key '" + key + "' in '" + spec
                        + "' (expected path=FILE[,readonly=on])");
            }
        }
        if (path == null) {
            throw new ConfigException("disks", "'" + spec + "' needs path=FILE");
        }
        return new DiskConfig(path, readonly);
    }

    void validate(String field) {
        if (path == null) {
            throw new ConfigException(field + ".path", "is required");
        }
        if (!Files.isRegularFile(path)) {
            throw new ConfigException(field + ".path", path + ": " + (Files.exists(path) ? "not a regular file (a raw image)"
                    : "no such file"));
        }
        if (!readonly && !Files.isWritable(path)) {
            throw new ConfigException(field + ".path", path + ": not writable (add readonly=on)");
        }
    }
}
