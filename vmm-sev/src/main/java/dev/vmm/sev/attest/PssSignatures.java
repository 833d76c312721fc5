package dev.vmm.sev.attest;

import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Optional;

/**
 * AMD signs every ARK, ASK, ASVK, VCEK and VLEK with RSASSA-PSS: SHA-384, MGF1 with SHA-384, salt 48,
 * trailer 1. The signature is checked with exactly these parameters, and the certificate must declare
 * them, so that no other parameters are accepted by way of the certificate's own AlgorithmIdentifier.
 */
final class PssSignatures {
    static final String RSASSA_PSS_OID = "1.2.840.113549.1.1.10";
    static final PSSParameterSpec AMD = new PSSParameterSpec("SHA-384", "MGF1", MGF1ParameterSpec.SHA384, 48, 1);

    private PssSignatures() {}

    /** Why {@code cert} is not an AMD PSS signature by {@code issuerKey}; empty if it is. */
    static Optional<String> problem(X509Certificate cert, PublicKey issuerKey) {
        if (!RSASSA_PSS_OID.equals(cert.getSigAlgOID())) {
            return Optional.of("signed with " + cert.getSigAlgName() + " (" + cert.getSigAlgOID() + "), not RSASSA-PSS");
        }
        try {
            AlgorithmParameters ap = AlgorithmParameters.getInstance("RSASSA-PSS");
            ap.init(cert.getSigAlgParams());
            PSSParameterSpec p = ap.getParameterSpec(PSSParameterSpec.class);
            boolean mgf1Sha384 = p.getMGFParameters() instanceof MGF1ParameterSpec m && sha384(m.getDigestAlgorithm());
            if (!sha384(p.getDigestAlgorithm()) || !"MGF1".equalsIgnoreCase(p.getMGFAlgorithm()) || !mgf1Sha384
                    || p.getSaltLength() != AMD.getSaltLength() || p.getTrailerField() != AMD.getTrailerField()) {
                return Optional.of("declares PSS " + p + ", not SHA-384, MGF1-SHA-384, salt 48, trailer 1");
            }
        } catch (GeneralSecurityException | java.io.IOException | RuntimeException e) {
            return Optional.of("unreadable RSASSA-PSS parameters: " + e.getMessage());
        }
        if (!(issuerKey instanceof RSAPublicKey)) {
            return Optional.of("the issuer's key is " + issuerKey.getAlgorithm() + ", not RSA");
        }
        try {
            Signature v = Signature.getInstance("RSASSA-PSS");
            v.setParameter(AMD);
            v.initVerify(issuerKey);
            v.update(cert.getTBSCertificate());
            return v.verify(cert.getSignature()) ? Optional.empty() : Optional.of("RSASSA-PSS signature does not verify");
        } catch (GeneralSecurityException e) {
            return Optional.of("RSASSA-PSS signature does not verify: " + e.getMessage());
        }
    }

    private static boolean sha384(String name) {
        return name.equalsIgnoreCase("SHA-384") || name.equalsIgnoreCase("SHA384");
    }
}
