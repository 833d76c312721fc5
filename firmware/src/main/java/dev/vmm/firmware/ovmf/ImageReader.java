package dev.vmm.firmware.ovmf;

import java.util.Arrays;

/**
 * Bounds-checked little-endian reads from an image. Every read names the field it is for, so that an
 * image too short for a structure fails with an {@link OvmfParseException} instead of an index error.
 * Offsets are longs because they are computed from untrusted 32-bit values.
 */
final class ImageReader {
    private final String source;
    private final byte[] bytes;

    ImageReader(String source, byte[] bytes) {
        this.source = source;
        this.bytes = bytes;
    }

    String source() {
        return source;
    }

    int size() {
        return bytes.length;
    }

    OvmfParseException error(long offset, String field, String problem) {
        return new OvmfParseException(source, offset, field, problem);
    }

    /** Fails unless {@code [offset, offset + length)} lies inside the image. */
    void require(long offset, long length, String field) {
        if (offset < 0 || length < 0 || offset > bytes.length || length > bytes.length - offset) {
            throw error(offset, field, length + " bytes do not fit in the image of " + bytes.length + " bytes");
        }
    }

    int u16(long offset, String field) {
        require(offset, 2, field);
        int o = (int) offset;
        return (bytes[o] & 0xff) | (bytes[o + 1] & 0xff) << 8;
    }

    long u32(long offset, String field) {
        require(offset, 4, field);
        int o = (int) offset;
        return (bytes[o] & 0xffL) | (bytes[o + 1] & 0xffL) << 8 | (bytes[o + 2] & 0xffL) << 16
                | (bytes[o + 3] & 0xffL) << 24;
    }

    Guid guid(long offset, String field) {
        require(offset, Guid.BYTES, field);
        return Guid.fromBytesLe(bytes, (int) offset);
    }

    byte[] slice(long offset, long length, String field) {
        require(offset, length, field);
        return Arrays.copyOfRange(bytes, (int) offset, (int) (offset + length));
    }
}
