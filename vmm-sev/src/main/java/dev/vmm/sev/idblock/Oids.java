package dev.vmm.sev.idblock;

import java.util.HexFormat;
import java.util.Map;

/** Dotted names of object identifiers, for messages about key files. */
final class Oids {
    private static final Map<String, String> KNOWN = Map.of(
            "1.2.840.10045.3.1.7", "P-256", "1.3.132.0.34", "P-384", "1.3.132.0.35", "P-521",
            "1.2.840.113549.1.1.1", "RSA", "1.3.101.112", "Ed25519");

    private Oids() {}

    /** e.g. "1.2.840.10045.3.1.7 (P-256)"; malformed contents are shown as hex. */
    static String name(byte[] der) {
        StringBuilder s = new StringBuilder();
        long value = 0;
        boolean first = true;
        for (int i = 0; i < der.length; i++) {
            if (value > (Long.MAX_VALUE >> 7)) {
                return "OID " + HexFormat.of().formatHex(der);
            }
            value = value << 7 | (der[i] & 0x7f);
            if ((der[i] & 0x80) != 0) {
                continue;
            }
            if (first) {
                long arc1 = Math.min(value / 40, 2);
                s.append(arc1).append('.').append(value - 40 * arc1);
                first = false;
            } else {
                s.append('.').append(value);
            }
            value = 0;
        }
        if (first || (der[der.length - 1] & 0x80) != 0) {
            return "OID " + HexFormat.of().formatHex(der);
        }
        String dotted = s.toString();
        String known = KNOWN.get(dotted);
        return known == null ? dotted : dotted + " (" + known + ")";
    }
}
