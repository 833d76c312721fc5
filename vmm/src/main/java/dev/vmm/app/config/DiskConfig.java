package dev.vmm.app.config;

import java.nio.file.Path;

/** A virtio-blk disk backed by a raw image file. */
public record DiskConfig(Path path, boolean readonly) {
    void validate(String field) {
        if (path == null) {
            throw new ConfigException(field + ".path", "is required");
        }
    }
}
