package dev.vmm.app.config;

import dev.vmm.core.io.InputFile;
import dev.vmm.core.io.InputFileException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Whole files named by an option or field, read and written with errors that name it and the file. */
public final class ConfigFiles {
    private ConfigFiles() {}

    /** Reports, certificates, ID blocks, wrapped keys: all a few KiB; a larger file is not one of them. */
    public static final long MAX_SMALL_FILE = 1L << 20;

    public static byte[] read(String field, Path file) {
        return read(field, file, MAX_SMALL_FILE);
    }

    /** The whole file, a regular one of at most {@code limit} bytes (a FIFO or /dev/zero is refused, not read). */
    public static byte[] read(String field, Path file, long limit) {
        try {
            return InputFile.read(file, limit, "");
        } catch (InputFileException e) {
            throw new ConfigException(field, e.getMessage());
        }
    }

    /** Writes {@code bytes} to {@code file}, whose directory must exist (as cp and openssl want; a typo makes none). */
    public static void write(String field, Path file, byte[] bytes) {
        requireDirectory(field, file);
        try {
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new ConfigException(field, file + ": cannot write: " + InputFile.reason(e));
        }
    }

    /** Refuses an output file whose directory is missing, before anything of a command's output is written. */
    public static void requireDirectory(String field, Path file) {
        Path parent = file.toAbsolutePath().getParent();
        if (!Files.isDirectory(parent)) {
            throw new ConfigException(field, file + ": no directory " + parent);
        }
    }
}
