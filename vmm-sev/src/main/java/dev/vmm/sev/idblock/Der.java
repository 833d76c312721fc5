package dev.vmm.sev.idblock;

import java.util.Arrays;

/**
 * A reader of the few DER elements a private-key file holds (SEQUENCE, INTEGER, OCTET STRING, BIT
 * STRING, OBJECT IDENTIFIER, context tags), over one constructed element's contents. Every length is
 * checked against what is left, so a malformed file gives a {@link KeyFileException} naming the offset.
 */
final class Der {
    static final int INTEGER = 0x02;
    static final int BIT_STRING = 0x03;
    static final int OCTET_STRING = 0x04;
    static final int OID = 0x06;
    static final int SEQUENCE = 0x30;

    /** One element: its tag, and where its contents lie in the file's bytes. */
    record Element(int tag, int offset, int contentStart, int length, byte[] file) {
        byte[] content() {
            return Arrays.copyOfRange(file, contentStart, contentStart + length);
        }

        /** A reader over this (constructed) element's contents. */
        Der children(String source) {
            return new Der(file, contentStart, contentStart + length, source);
        }
    }

    private final byte[] bytes;
    private final int end;
    private final String source;
    private int pos;

    Der(byte[] bytes, int start, int end, String source) {
        this.bytes = bytes;
        this.pos = start;
        this.end = end;
        this.source = source;
    }

    static Der of(byte[] bytes, String source) {
        return new Der(bytes, 0, bytes.length, source);
    }

    String source() {
        return source;
    }

    boolean hasMore() {
        return pos < end;
    }

    /** The tag of the next element, or -1 at the end. */
    int peekTag() {
        return pos < end ? bytes[pos] & 0xff : -1;
    }

    Element next(int tag, String what) {
        int at = pos;
        if (at >= end) {
            throw error(at, what + " missing");
        }
        int actual = bytes[at] & 0xff;
        if (actual != tag) {
            throw error(at, String.format("%s: tag 0x%02x, expected 0x%02x", what, actual, tag));
        }
        int p = at + 1;
        if (p >= end) {
            throw error(at, what + ": no length");
        }
        int first = bytes[p++] & 0xff;
        long length;
        if (first < 0x80) {
            length = first;
        } else {
            int count = first & 0x7f;
            if (count == 0 || count > 4) {
                throw error(at, what + ": " + (count == 0 ? "indefinite length (not DER)" : "length of " + count + " bytes"));
            }
            if (end - p < count) {
                throw error(at, what + ": length cut off");
            }
            length = 0;
            for (int i = 0; i < count; i++) {
                length = length << 8 | (bytes[p++] & 0xff);
            }
        }
        if (length > end - p) {
            throw error(at, what + ": " + length + " bytes of contents, " + (end - p) + " left");
        }
        pos = p + (int) length;
        return new Element(actual, at, p, (int) length, bytes);
    }

    /** The end of the enclosing element must come now. */
    void requireEnd(String what) {
        if (pos != end) {
            throw error(pos, "unexpected bytes after " + what);
        }
    }

    KeyFileException error(int offset, String message) {
        return new KeyFileException(String.format("%s: DER offset 0x%x: %s", source, offset, message));
    }
}
