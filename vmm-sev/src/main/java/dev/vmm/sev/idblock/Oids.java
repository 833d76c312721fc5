package dev.vmm.sev.idblock;

import java.util.Map;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;

/** Dotted names of object identifiers, for messages about key files. */
final class Oids {
    private static final Map<String, String> KNOWN = Map.of(
            "1.2.840.10045.3.1.7", "P-256", "1.3.132.0.34", "P-384", "1.3.132.0.35", "P-521",
            "1.2.840.113549.1.1.1", "RSA", "1.3.101.112", "Ed25519");

    private Oids() {}

    /** e.g. "1.2.840.10045.3.1.7 (P-256)". */
    static String name(ASN1ObjectIdentifier oid) {
        String known = KNOWN.get(oid.getId());
        return known == null ? oid.getId() : oid.getId() + " (" + known + ")";
    }
}
