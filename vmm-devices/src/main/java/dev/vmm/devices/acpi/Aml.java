package dev.vmm.devices.acpi;

import java.nio.charset.StandardCharsets;

/**
 * The few AML terms our DSDT needs (ACPI 6.0 §20.2), each returned as its encoded bytes. Nesting
 * terms take their children already encoded: {@code scope("\\_SB", device("PCI0", name("_UID",
 * integer(0))))}.
 */
final class Aml {
    static final byte ZERO_OP = 0x00;
    static final byte ONE_OP = 0x01;
    static final byte ONES_OP = (byte) 0xff;
    static final byte BYTE_PREFIX = 0x0a;
    static final byte WORD_PREFIX = 0x0b;
    static final byte DWORD_PREFIX = 0x0c;
    static final byte STRING_PREFIX = 0x0d;
    static final byte QWORD_PREFIX = 0x0e;
    static final byte NAME_OP = 0x08;
    static final byte SCOPE_OP = 0x10;
    static final byte BUFFER_OP = 0x11;
    static final byte PACKAGE_OP = 0x12;
    static final byte METHOD_OP = 0x14;
    static final byte RETURN_OP = (byte) 0xa4;
    static final byte EXT_OP_PREFIX = 0x5b;
    static final byte DEVICE_OP = (byte) 0x82;

    private Aml() {}

    /** An integer in its smallest encoding: ZeroOp, OneOp, or a Byte/Word/DWord/QWord constant. */
    static byte[] integer(long value) {
        if (value == 0) {
            return new byte[] {ZERO_OP};
        }
        if (value == 1) {
            return new byte[] {ONE_OP};
        }
        if ((value & ~0xffL) == 0) {
            return prefixed(BYTE_PREFIX, value, 1);
        }
        if ((value & ~0xffffL) == 0) {
            return prefixed(WORD_PREFIX, value, 2);
        }
        if ((value & ~0xffff_ffffL) == 0) {
            return prefixed(DWORD_PREFIX, value, 4);
        }
        return prefixed(QWORD_PREFIX, value, 8);
    }

    /** OnesOp: all bits set, whatever the integer width of the table (ACPI 6.0 §19.6.94). */
    static byte[] ones() {
        return new byte[] {ONES_OP};
    }

    private static byte[] prefixed(byte prefix, long value, int size) {
        byte[] out = new byte[1 + size];
        out[0] = prefix;
        for (int i = 0; i < size; i++) {
            out[1 + i] = (byte) (value >>> 8 * i);
        }
        return out;
    }

    /** A String constant: 7-bit ASCII, NUL-terminated, no NUL inside. */
    static byte[] string(String value) {
        if (!value.chars().allMatch(c -> c >= 1 && c <= 0x7f)) {
            throw new IllegalArgumentException("AML strings are ASCII without NUL: " + value);
        }
        return Bytes.concat(new byte[] {STRING_PREFIX}, value.getBytes(StandardCharsets.US_ASCII), new byte[1]);
    }

    /**
     * ASL's EISAID(): a PNP id such as "PNP0A03" compressed into a DWord (ACPI 6.0 §19.6.35): three
     * letters of 5 bits each ('A' = 1) and four hex digits, stored big-endian, so "PNP0A03" is the
     * byte sequence 41 D0 0A 03, the DWord 0x030AD041.
     */
    static byte[] eisaId(String id) {
        return integer(eisaIdValue(id));
    }

    static long eisaIdValue(String id) {
        if (!id.matches("[A-Z]{3}[0-9A-F]{4}")) {
            throw new IllegalArgumentException("not an EISA id: " + id);
        }
        int vendor = (id.charAt(0) - '@') << 10 | (id.charAt(1) - '@') << 5 | id.charAt(2) - '@';
        int product = Integer.parseInt(id.substring(3), 16);
        int bigEndian = vendor << 16 | product;
        return Integer.reverseBytes(bigEndian) & 0xffff_ffffL;
    }

    /** DefName: binds {@code name} to a data object. */
    static byte[] name(String name, byte[] value) {
        return Bytes.concat(new byte[] {NAME_OP}, AmlName.path(name), value);
    }

    /** DefScope: opens an existing scope, such as {@code \_SB}, to add objects to it. */
    static byte[] scope(String path, byte[]... terms) {
        return Bytes.concat(new byte[] {SCOPE_OP}, PkgLength.wrap(Bytes.concat(AmlName.path(path), terms)));
    }

    /** DefDevice. */
    static byte[] device(String name, byte[]... terms) {
        return Bytes.concat(
                new byte[] {EXT_OP_PREFIX, DEVICE_OP}, PkgLength.wrap(Bytes.concat(AmlName.path(name), terms)));
    }

    /** DefMethod: NotSerialized, sync level 0 — our methods only return constants. */
    static byte[] method(String name, int argCount, byte[]... terms) {
        if (argCount < 0 || argCount > 7) {
            throw new IllegalArgumentException("AML methods take 0 to 7 arguments, not " + argCount);
        }
        byte[] head = Bytes.concat(AmlName.path(name), new byte[] {(byte) argCount});
        return Bytes.concat(new byte[] {METHOD_OP}, PkgLength.wrap(Bytes.concat(head, terms)));
    }

    /** DefReturn. */
    static byte[] returnValue(byte[] value) {
        return Bytes.concat(new byte[] {RETURN_OP}, value);
    }

    /** DefPackage of at most 255 elements, all given. */
    static byte[] pkg(byte[]... elements) {
        if (elements.length > 255) {
            throw new IllegalArgumentException("a Package holds at most 255 elements (VarPackage is not supported)");
        }
        byte[] body = Bytes.concat(new byte[] {(byte) elements.length}, elements);
        return Bytes.concat(new byte[] {PACKAGE_OP}, PkgLength.wrap(body));
    }

    /** DefBuffer initialised with {@code data}; the size is an integer term. */
    static byte[] buffer(byte[] data) {
        return Bytes.concat(new byte[] {BUFFER_OP}, PkgLength.wrap(Bytes.concat(integer(data.length), data)));
    }
}
