package dev.vmm.firmware.linux;

import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.Objects;

/**
 * A kernel file's bytes as the parsers and the loader read them: by offset and length, each range
 * checked against the file's size. In memory, when the payload is read once because it is measured or
 * handed to the firmware; on disk for a direct boot, where the headers are read piecewise and the
 * segments straight into guest RAM, so that the VMM never holds the kernel (a 57 MB vmlinux was 57 MB
 * of heap for the VM's life). A file on disk that changes meanwhile is an error, not a mixed load.
 */
public sealed interface KernelBytes permits KernelBytes.InMemory, KernelBytes.OnDisk {
    /** Where the bytes come from, for messages. */
    String source();

    long size();

    /** {@code length} bytes from {@code offset}; a range outside the file is a {@link KernelException}. */
    byte[] read(long offset, int length);

    /** {@code length} bytes from {@code offset} to the start of {@code target}. */
    void copyTo(long offset, long length, MemorySegment target);

    /** The whole file. */
    byte[] all();

    static KernelBytes of(String source, byte[] bytes) {
        return new InMemory(source, bytes);
    }

    /**
     * {@code file} as it is now (checked as a regular file by the caller): its size, identity (device and
     * inode) and modification time, which every later read checks, so that a file replaced or rewritten
     * between the parse and the load is an error rather than another file's bytes at this one's offsets.
     */
    static KernelBytes onDisk(String source, Path file) {
        BasicFileAttributes a = OnDisk.attributes(source, file);
        return new OnDisk(source, file, a.size(), a.fileKey(), a.lastModifiedTime());
    }

    private static void check(KernelBytes k, long offset, long length) {
        if (offset < 0 || length < 0 || offset > k.size() - length) {
            throw new KernelException(String.format("%s: bytes 0x%x+0x%x lie outside its %d bytes", k.source(), offset,
                    length, k.size()));
        }
    }

    record InMemory(String source, byte[] bytes) implements KernelBytes {
        @Override
        public long size() {
            return bytes.length;
        }

        @Override
        public byte[] read(long offset, int length) {
            check(this, offset, length);
            return Arrays.copyOfRange(bytes, (int) offset, (int) offset + length);
        }

        @Override
        public void copyTo(long offset, long length, MemorySegment target) {
            check(this, offset, length);
            MemorySegment.copy(bytes, (int) offset, target, ValueLayout.JAVA_BYTE, 0, (int) length);
        }

        @Override
        public byte[] all() {
            return bytes;
        }
    }

    record OnDisk(String source, Path file, long size, Object identity, FileTime modified) implements KernelBytes {
        @Override
        public byte[] read(long offset, int length) {
            check(this, offset, length);
            byte[] b = new byte[length];
            transfer(offset, ByteBuffer.wrap(b));
            return b;
        }

        /** The kernel reads into guest RAM itself: the buffer is a direct view of the target. */
        @Override
        public void copyTo(long offset, long length, MemorySegment target) {
            check(this, offset, length);
            for (long done = 0; done < length; ) {
                int n = (int) Math.min(length - done, 1L << 30);
                transfer(offset + done, target.asSlice(done, n).asByteBuffer());
                done += n;
            }
        }

        @Override
        public byte[] all() {
            return read(0, Math.toIntExact(size));
        }

        private void transfer(long offset, ByteBuffer into) {
            try (FileChannel ch = FileChannel.open(file)) {
                // Opened first, then looked at: what the channel reads is the file checked here.
                BasicFileAttributes now = attributes(source, file);
                if (now.size() != size || !Objects.equals(now.fileKey(), identity)
                        || !now.lastModifiedTime().equals(modified)) {
                    throw new KernelException(source + ": changed since it was first read (size, inode or "
                            + "modification time); boot it again");
                }
                long at = offset;
                while (into.hasRemaining()) {
                    int n = ch.read(into, at);
                    if (n < 0) {
                        throw new EOFException();
                    }
                    at += n;
                }
            } catch (EOFException e) {
                throw new KernelException(source + ": shorter than its " + size + " bytes: it changed while it was read");
            } catch (IOException e) {
                throw new KernelException(source + ": cannot read: " + e.getMessage());
            }
        }

        static BasicFileAttributes attributes(String source, Path file) {
            try {
                return Files.readAttributes(file, BasicFileAttributes.class);
            } catch (IOException e) {
                throw new KernelException(source + ": cannot read: " + e.getMessage());
            }
        }
    }
}
