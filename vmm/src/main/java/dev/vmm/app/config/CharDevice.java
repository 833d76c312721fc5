package dev.vmm.app.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.nio.file.Path;

/**
 * Where a character device (serial port, debug console) is connected: {@code stdio}, {@code file:PATH}
 * or {@code none}; the same text on the command line and in JSON.
 */
public sealed interface CharDevice {
    record Stdio() implements CharDevice {}

    record File(Path path) implements CharDevice {}

    record None() implements CharDevice {}

    @JsonCreator
    static CharDevice parse(String value) {
        return parse("value", value);
    }

    static CharDevice parse(String field, String value) {
        if (value.equals("stdio")) {
            return new Stdio();
        }
        if (value.equals("none")) {
            return new None();
        }
        if (value.startsWith("file:") && value.length() > 5) {
            return new File(Path.of(value.substring(5)));
        }
        throw new ConfigException(field, "'" + value + "' is not stdio, file:PATH or none");
    }

    @JsonValue
    default String spec() {
        return switch (this) {
            case Stdio s -> "stdio";
            case None n -> "none";
            case File(Path p) -> "file:" + p;
        };
    }
}
