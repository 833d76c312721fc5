package dev.vmm.app.config;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * A user-supplied fw_cfg file: {@code name} (in QEMU's {@code opt/} namespace) with either a string
 * or the contents of a file, read when the machine is built.
 */
public record FwCfgEntry(String name, String string, Path file) {
    /** A user's fw_cfg file: configuration for the guest, not a disk; QEMU's DMA reads it whole too. */
    static final long MAX_FILE = 16L << 20;

    public static FwCfgEntry ofString(String name, String text) {
        return new FwCfgEntry(name, text, null);
    }

    /** QEMU's {@code -fw_cfg} form: {@code name=NAME,string=TEXT} or {@code name=NAME,file=PATH}. */
    public static FwCfgEntry parse(String spec) {
        var v = OptionList.parse("fw_cfg", spec, List.of("name", "string", "file"),
                "name=NAME,string=TEXT or name=NAME,file=PATH", 2);
        String name = v.get("name");
        String string = v.get("string");
        Path file = v.containsKey("file") ? Path.of(v.get("file")) : null;
        if (name == null || name.isEmpty() || string == null && file == null) {
            throw new ConfigException("fw_cfg", "'" + spec + "' needs name= and one of string= or file=");
        }
        return new FwCfgEntry(name, string, file);
    }

    void validate(String field) {
        if (name == null || !name.startsWith("opt/")) {
            throw new ConfigException(field + ".name", "'" + name + "' must start with opt/ (the namespace QEMU "
                    + "leaves to users)");
        }
        if ((string == null) == (file == null)) {
            throw new ConfigException(field, "needs one of {" + field + ".string} and {" + field + ".file}");
        }
    }

    /** The file's contents for the guest. */
    public byte[] data(String field) {
        if (string != null) {
            return string.getBytes(StandardCharsets.UTF_8);
        }
        return ConfigFiles.read(field + ".file", file, MAX_FILE);
    }
}
