package dev.vmm.devices.acpi;

import java.io.ByteArrayOutputStream;

/** Byte-array concatenation, for building AML terms out of their encoded parts. */
final class Bytes {
    private Bytes() {}

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    static byte[] concat(byte[] head, byte[][] rest) {
        return concat(head, concat(rest));
    }
}
