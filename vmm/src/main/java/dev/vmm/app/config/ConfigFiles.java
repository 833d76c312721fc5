package dev.vmm.app.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Whole files named by an option or field, read and written with errors that name it and the file. */
public final class ConfigFiles {
    private ConfigFiles() {}

    public static byte[] read(String field, Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(field, file + ": no such file");
        } catch (IOException e) {
            throw new ConfigException(field, file + ": cannot read: " + e.getMessage());
        }
    }

    /** Writes {@code bytes} to {@code file}, creating its directory if needed. */
    public static void write(String field, Path file, byte[] bytes) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new ConfigException(field, file + ": cannot write: " + e.getMessage());
        }
    }
}
