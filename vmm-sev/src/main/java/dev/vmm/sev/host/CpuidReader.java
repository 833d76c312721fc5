package dev.vmm.sev.host;

import dev.vmm.core.arch.CpuVendor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * CPUID of CPU 0 without native code: the cpuid driver's {@code /dev/cpu/0/cpuid} answers a 16-byte
 * read at file offset {@code leaf | subleaf << 32} with EAX, EBX, ECX, EDX (arch/x86/kernel/cpuid.c).
 * The same file layout serves {@code /dev/cpu/0/msr}: 8 bytes at offset {@code msr}.
 */
public final class CpuidReader {
    private CpuidReader() {}

    /** EAX, EBX, ECX, EDX of {@code leaf}, or empty when the device cannot be read. */
    public static Optional<int[]> cpuid(Path device, int leaf, int subleaf) {
        ByteBuffer b = read(device, Integer.toUnsignedLong(leaf) | (long) subleaf << 32, 16);
        if (b == null) {
            return Optional.empty();
        }
        return Optional.of(new int[] {b.getInt(0), b.getInt(4), b.getInt(8), b.getInt(12)});
    }

    /** The MSR's value, or empty when the msr device cannot be read (absent, no permission, #GP). */
    public static Optional<Long> msr(Path device, long msr) {
        ByteBuffer b = read(device, msr, 8);
        return b == null ? Optional.empty() : Optional.of(b.getLong(0));
    }

    private static ByteBuffer read(Path device, long position, int size) {
        try (FileChannel ch = FileChannel.open(device, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
            int n = ch.read(b, position);
            return n == size ? b : null;
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return null;
        }
    }

    /** The vendor string of leaf 0 (EBX, EDX, ECX). */
    public static String vendor(int[] leaf0) {
        return CpuVendor.of(leaf0[1], leaf0[2], leaf0[3]);
    }
}
