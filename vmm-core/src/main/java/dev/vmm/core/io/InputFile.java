package dev.vmm.core.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Files the user names, read with their format's size limit checked first: a FIFO, a directory or a
 * device ({@code /dev/zero}) is refused before anything is read (a FIFO would block, a device never
 * end), and so is a file larger than its kind can be, which would otherwise be read whole into the
 * heap. The reads are bounded too, for a file that grows meanwhile. Errors name the file.
 */
public final class InputFile {
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private InputFile() {}

    /**
     * The whole of {@code file}, a regular file of at most {@code limit} bytes. {@code kind} names what it
     * should be in messages ("firmware": "no such firmware file", "a firmware file is at most ...");
     * empty for a plain file.
     */
    public static byte[] read(Path file, long limit, String kind) {
        long size = requireRegular(file, kind);
        if (size > limit) {
            throw new InputFileException(file + ": " + size + " bytes; a " + noun(kind) + " is at most " + limit + " bytes");
        }
        try (InputStream in = Files.newInputStream(file)) {
            // One byte more than the limit tells a file that grew; a Java array holds at most MAX_ARRAY.
            byte[] bytes = in.readNBytes((int) Math.min(limit + 1, MAX_ARRAY));
            if (bytes.length > limit) {
                throw new InputFileException(file + ": grew beyond " + limit + " bytes while it was read");
            }
            return bytes;
        } catch (IOException e) {
            throw new InputFileException(file + ": cannot read: " + reason(e));
        }
    }

    /** Checks that {@code file} is a regular file (not a FIFO, device or directory); returns its size. */
    public static long requireRegular(Path file, String kind) {
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new InputFileException(file + ": no such " + noun(kind));
        } catch (IOException e) {
            throw new InputFileException(file + ": cannot read: " + reason(e));
        }
        if (!a.isRegularFile()) {
            throw new InputFileException(file + ": " + (a.isDirectory() ? "a directory" : "a device, FIFO or socket")
                    + ", not a regular " + noun(kind));
        }
        if (!Files.isReadable(file)) {
            throw new InputFileException(file + ": permission denied");
        }
        return a.size();
    }

    private static String noun(String kind) {
        return kind.isEmpty() ? "file" : kind + " file";
    }

    /** The errno-like reason, without the JDK's habit of repeating the file name. */
    public static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        String m = e.getMessage();
        return m == null ? e.getClass().getSimpleName() : m;
    }
}
