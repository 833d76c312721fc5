package dev.vmm.app.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Whole files named on the command line, read and written with errors that name the option and file. */
public final class ConfigFiles {
    private ConfigFiles() {}

    public static byte[] read(String option, Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(option + " " + file + ": no such file");
        } catch (IOException e) {
            throw new ConfigException(option + " " + file + ": cannot read: " + e.getMessage());
        }
    }

    /** Writes {@code bytes} to {@code file}, creating its directory if needed. */
    public static void write(String option, Path file, byte[] bytes) {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new ConfigException(option + " " + file + ": cannot write: " + e.getMessage());
        }
    }
}
