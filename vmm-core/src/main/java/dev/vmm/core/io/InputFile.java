package dev.vmm.core.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;

/**
 * Files the user names, read with their format's size limit checked first: a FIFO, a directory or a
 * device ({@code /dev/zero}) is refused before anything is read (a FIFO would block, a device never
 * end), and so is a file larger than its kind can be, which would otherwise be read whole into the
 * heap. The reads are bounded too, for a file that grows meanwhile. Errors name the file.
 */
public final class InputFile {
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;
    private static final int CHUNK = 1 << 20;

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
            return readBounded(file, in, size, limit);
        } catch (IOException e) {
            throw new InputFileException(file + ": cannot read: " + reason(e));
        }
    }

    /**
     * Reads into an array of the size the file had, at most {@link #CHUNK} bytes a call: for each read
     * into a heap array, NIO copies through a temporary direct buffer of the read's length and keeps it
     * for the thread's next read, so reading a 57 MB kernel in one call left 57 MB of native memory
     * behind. One byte more tells a file that grew meanwhile (bounded by {@code limit} still).
     */
    static byte[] readBounded(Path file, InputStream in, long size, long limit) throws IOException {
        byte[] bytes = new byte[(int) Math.min(size, MAX_ARRAY)];
        int read = fill(in, bytes, 0);
        if (read < bytes.length) {
            return Arrays.copyOf(bytes, read);                  // it shrank
        }
        int more = in.read();
        if (more < 0) {
            return bytes;
        }
        long cap = Math.min(limit + 1, MAX_ARRAY);              // it grew: read on, up to one byte past the limit
        int n = bytes.length;
        if (n >= cap) {
            throw new InputFileException(file + ": grew beyond " + limit + " bytes while it was read");
        }
        byte[] grown = Arrays.copyOf(bytes, (int) Math.min(cap, 2L * n + 1));
        grown[n++] = (byte) more;
        while ((n = fill(in, grown, n)) == grown.length && grown.length < cap) {
            grown = Arrays.copyOf(grown, (int) Math.min(cap, 2L * grown.length));
        }
        if (n > limit) {
            throw new InputFileException(file + ": grew beyond " + limit + " bytes while it was read");
        }
        return Arrays.copyOf(grown, n);
    }

    /** Fills {@code buf} from {@code at} until it is full or the stream ends; returns the bytes in it. */
    private static int fill(InputStream in, byte[] buf, int at) throws IOException {
        int n = at;
        int r;
        while (n < buf.length && (r = in.read(buf, n, Math.min(CHUNK, buf.length - n))) > 0) {
            n += r;
        }
        return n;
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
