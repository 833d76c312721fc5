package dev.vmm.app.config;

import java.nio.file.Path;

/** Where a character device (serial port, debug console) is connected: {@code stdio}, {@code file:PATH}, {@code none}. */
public sealed interface CharDevice {
    record Stdio() implements CharDevice {}

    record File(Path path) implements CharDevice {}

    record None() implements CharDevice {}

    static CharDevice parse(String option, String value) {
        if (value.equals("stdio")) {
            return new Stdio();
        }
        if (value.equals("none")) {
            return new None();
        }
        if (value.startsWith("file:") && value.length() > 5) {
            return new File(Path.of(value.substring(5)));
        }
        throw new ConfigException(option + ": '" + value + "' is not stdio, file:PATH or none");
    }
}
