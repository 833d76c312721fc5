package dev.vmm.firmware.ovmf;

import dev.vmm.firmware.FirmwareImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Real OVMF bytes for tests. The two suffixes (test resources, copied from the shared test data) are the
 * last 4 KiB of an edk2-stable202405 AmdSev build and of an OvmfX64 build; the footer table and the
 * 'ASEV' metadata live there, and offsets in them count from the end, so a suffix parses on its own.
 */
final class OvmfSamples {
    static final Path DEBIAN_OVMF = Path.of("/usr/share/ovmf/OVMF.fd");
    static final int TWO_MIB = 2 << 20;

    private OvmfSamples() {}

    /** Debian 12's OVMF.fd (package ovmf, installed by .ci/setup). */
    static FirmwareImage debian() {
        if (!Files.isRegularFile(DEBIAN_OVMF)) {
            throw new AssertionError(DEBIAN_OVMF + " is missing: install Debian's ovmf package (.ci/setup does)");
        }
        return FirmwareImage.read(DEBIAN_OVMF);
    }

    static byte[] amdSevSuffix() {
        return resource("amdsev-suffix-4k.bin");
    }

    static byte[] ovmfX64Suffix() {
        return resource("ovmfx64-suffix-4k.bin");
    }

    /** A 2 MiB image: zeros, then the suffix, as the shared measurement recipe builds it. */
    static byte[] padTo2MiB(byte[] suffix) {
        byte[] image = new byte[TWO_MIB];
        System.arraycopy(suffix, 0, image, TWO_MIB - suffix.length, suffix.length);
        return image;
    }

    static byte[] putU16(byte[] bytes, int offset, int value) {
        bytes[offset] = (byte) value;
        bytes[offset + 1] = (byte) (value >>> 8);
        return bytes;
    }

    static byte[] putU32(byte[] bytes, int offset, long value) {
        for (int i = 0; i < 4; i++) {
            bytes[offset + i] = (byte) (value >>> (8 * i));
        }
        return bytes;
    }

    static long u32(byte[] bytes, int offset) {
        long v = 0;
        for (int i = 3; i >= 0; i--) {
            v = v << 8 | (bytes[offset + i] & 0xff);
        }
        return v;
    }

    static byte[] lastBytes(byte[] bytes, int n) {
        return Arrays.copyOfRange(bytes, bytes.length - n, bytes.length);
    }

    private static byte[] resource(String name) {
        try (InputStream in = OvmfSamples.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new AssertionError("test resource " + name + " is missing");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
