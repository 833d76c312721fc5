package dev.vmm.sev.attest;

/**
 * Little-endian reads from a report whose length has been checked, and errors that name the field and
 * offset.
 */
final class ReportBytes {
    private final String source;
    private final byte[] bytes;

    ReportBytes(String source, byte[] bytes) {
        this.source = source;
        this.bytes = bytes;
    }

    ReportFormatException error(int offset, String field, String problem) {
        return new ReportFormatException(source, offset, field, problem);
    }

    int u8(int offset) {
        return bytes[offset] & 0xff;
    }

    long u32(int offset) {
        return (u8(offset) | u8(offset + 1) << 8 | u8(offset + 2) << 16 | (long) u8(offset + 3) << 24);
    }

    long u64(int offset) {
        return u32(offset) | u32(offset + 4) << 32;
    }

    byte[] slice(int offset, int length) {
        return java.util.Arrays.copyOfRange(bytes, offset, offset + length);
    }

    /** Fails unless {@code [offset, offset + length)} is all zero, naming the first non-zero byte. */
    void requireZero(int offset, int length, String field) {
        for (int i = offset; i < offset + length; i++) {
            if (bytes[i] != 0) {
                throw error(i, field, String.format("reserved, must be zero, but byte 0x%x is 0x%02x", i, u8(i)));
            }
        }
    }
}
