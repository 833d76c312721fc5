package dev.vmm.sev.attest;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * The AMD certificates above a VCEK or VLEK: the ARK (self-signed root), the ASK (signs VCEKs) and the
 * ASVK (signs VLEKs). A KDS {@code cert_chain} file has only two of them, so each may be missing.
 *
 * @param origin where the certificates came from, for messages
 * @param embedded whether they are the AMD certificates built into this program
 */
public record AmdChain(Optional<X509Certificate> ark, Optional<X509Certificate> ask, Optional<X509Certificate> asvk,
                       String origin, boolean embedded) {
    private static final String VLEK_CN_PREFIX = "SEV-VLEK-";

    /**
     * Sorts certificates by role, in any order (KDS serves ASK then ARK; trustee bundles ASK, ARK,
     * ASVK): the self-issued one is the ARK, a CN starting {@code SEV-VLEK-} marks the ASVK, and any
     * other is the ASK. Two certificates in one role are an error.
     */
    public static AmdChain of(String origin, List<X509Certificate> certs, boolean embedded) {
        X509Certificate ark = null;
        X509Certificate ask = null;
        X509Certificate asvk = null;
        for (X509Certificate c : certs) {
            String cn = Names.cn(c.getSubjectX500Principal());
            if (c.getSubjectX500Principal().equals(c.getIssuerX500Principal())) {
                ark = only(origin, "ARK", ark, c);
            } else if (cn.startsWith(VLEK_CN_PREFIX)) {
                asvk = only(origin, "ASVK", asvk, c);
            } else {
                ask = only(origin, "ASK", ask, c);
            }
        }
        return new AmdChain(Optional.ofNullable(ark), Optional.ofNullable(ask), Optional.ofNullable(asvk), origin, embedded);
    }

    /** Reads a PEM (or DER) chain file given by the user. */
    public static AmdChain read(String source, byte[] bytes) {
        return of(source, CertificateFiles.read(source, bytes), false);
    }

    private static X509Certificate only(String origin, String role, X509Certificate had, X509Certificate c) {
        if (had != null) {
            throw new CertificateFormatException(origin, role, "two certificates in this role ("
                    + Names.cn(had.getSubjectX500Principal()) + " and " + Names.cn(c.getSubjectX500Principal()) + ")");
        }
        return c;
    }

    /** The intermediate that signs this kind of endorsement key: the ASK for a VCEK, the ASVK for a VLEK. */
    public Optional<X509Certificate> intermediateFor(SigningKey kind) {
        return kind == SigningKey.VLEK ? asvk : ask;
    }
}
