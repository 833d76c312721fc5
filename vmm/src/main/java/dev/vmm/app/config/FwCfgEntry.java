package dev.vmm.app.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A user-supplied fw_cfg file, given as QEMU takes it: {@code name=NAME,string=TEXT} or {@code name=NAME,file=PATH}. */
public record FwCfgEntry(String name, byte[] data) {
    public static FwCfgEntry parse(String spec) {
        String name = null;
        byte[] data = null;
        for (String part : spec.split(",", 2)) {
            int eq = part.indexOf('=');
            String key = eq < 0 ? part : part.substring(0, eq);
            String value = eq < 0 ? "" : part.substring(eq + 1);
            switch (key) {
                case "name" -> name = value;
                case "string" -> data = value.getBytes(StandardCharsets.UTF_8);
                case "file" -> {
                    try {
                        data = Files.readAllBytes(Path.of(value));
                    } catch (IOException e) {
                        throw new ConfigException("--fw-cfg: cannot read " + value + ": " + e.getMessage());
                    }
                }
                default -> throw new ConfigException("--fw-cfg: unknown key '" + key + "' in '" + spec
                        + "' (expected name=NAME,string=TEXT or name=NAME,file=PATH)");
            }
        }
        if (name == null || name.isEmpty() || data == null) {
            throw new ConfigException("--fw-cfg: '" + spec + "' needs name= and one of string= or file=");
        }
        if (!name.startsWith("opt/")) {
            throw new ConfigException("--fw-cfg: name '" + name + "' must start with opt/ (the namespace QEMU leaves to users)");
        }
        return new FwCfgEntry(name, data);
    }
}
