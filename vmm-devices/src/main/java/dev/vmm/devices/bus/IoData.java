package dev.vmm.devices.bus;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.lang.foreign.MemorySegment;

/** Reads and writes the little-endian value of a 1- to 8-byte access. */
public final class IoData {
    private IoData() {}

    public static long get(MemorySegment data) {
        long v = 0;
        for (int i = (int) data.byteSize() - 1; i >= 0; i--) {
            v = v << 8 | (data.get(JAVA_BYTE, i) & 0xff);
        }
        return v;
    }

    public static void set(MemorySegment data, long value) {
        for (int i = 0; i < data.byteSize(); i++) {
            data.set(JAVA_BYTE, i, (byte) (value >>> (8 * i)));
        }
    }
}
