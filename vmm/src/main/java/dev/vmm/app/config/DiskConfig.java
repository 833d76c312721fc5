package dev.vmm.app.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A virtio-blk disk backed by a raw image file. */
public record DiskConfig(Path path, boolean readonly) {
    /** Cloud Hypervisor's form: {@code path=FILE[,readonly=on|off]}. */
    public static DiskConfig parse(String spec) {
        var v = OptionList.parse("disks", spec, List.of("path", "readonly"), "path=FILE[,readonly=on]", 0);
        Path path = v.getOrDefault("path", "").isEmpty() ? null : Path.of(v.get("path"));
        boolean readonly = switch (v.getOrDefault("readonly", "off")) {
            case "on", "true" -> true;
            case "off", "false" -> false;
            default -> throw new ConfigException("disks", "readonly='" + v.get("readonly") + "' in '" + spec
                    + "' is not on or off");
        };
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
