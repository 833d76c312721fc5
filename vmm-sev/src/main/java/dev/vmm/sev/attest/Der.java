package dev.vmm.sev.attest;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The little DER the AMD certificate extensions need: one OCTET STRING, INTEGER or IA5String that
 * fills its input exactly. Untrusted input: every length is checked against the bytes present.
 */
final class Der {
    static final int INTEGER = 0x02;
    static final int OCTET_STRING = 0x04;
    static final int IA5_STRING = 0x16;

    /** Malformed DER; the caller adds the source and extension name. */
    static final class DerException extends Exception {
        DerException(String message) {
            super(message);
        }
    }

    private Der() {}

    /** The content of the single element of type {@code tag} that makes up {@code der}. */
    static byte[] content(byte[] der, int tag) throws DerException {
        if (der.length < 2) {
            throw new DerException("DER element of " + der.length + " bytes is too short");
        }
        if ((der[0] & 0xff) != tag) {
            throw new DerException(String.format("tag 0x%02x, expected 0x%02x", der[0] & 0xff, tag));
        }
        int first = der[1] & 0xff;
        int headerLength;
        long length;
        if (first < 0x80) {
            headerLength = 2;
            length = first;
        } else {
            int n = first & 0x7f;
            if (n == 0 || n > 4) {
                throw new DerException(n == 0 ? "indefinite length is not DER" : "length of " + n + " bytes is too long");
            }
            if (der.length < 2 + n) {
                throw new DerException("length runs past the end of the element");
            }
            length = 0;
            for (int i = 0; i < n; i++) {
                length = length << 8 | (der[2 + i] & 0xff);
            }
            headerLength = 2 + n;
        }
        if (length != der.length - headerLength) {
            throw new DerException("length " + length + " does not match the " + (der.length - headerLength) + " content bytes present");
        }
        return Arrays.copyOfRange(der, headerLength, der.length);
    }

    /** A non-negative INTEGER no larger than {@code max}. */
    static int integer(byte[] der, int max) throws DerException {
        byte[] c = content(der, INTEGER);
        if (c.length == 0) {
            throw new DerException("INTEGER has no content bytes");
        }
        if (c[0] < 0) {
            throw new DerException("INTEGER is negative");
        }
        long v = 0;
        for (byte b : c) {
            v = v << 8 | (b & 0xff);
            if (v > max) {
                throw new DerException("INTEGER exceeds " + max);
            }
        }
        return (int) v;
    }

    static String ia5String(byte[] der) throws DerException {
        byte[] c = content(der, IA5_STRING);
        for (byte b : c) {
            if (b < 0) {
                throw new DerException("IA5String has a byte above 0x7f");
            }
        }
        return new String(c, StandardCharsets.US_ASCII);
    }
}
