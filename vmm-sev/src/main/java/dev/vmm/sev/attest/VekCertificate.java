package dev.vmm.sev.attest;

import java.security.cert.X509Certificate;
import java.util.Optional;

/**
 * A VCEK or VLEK certificate (the versioned endorsement key that signs reports) with its AMD
 * extensions decoded.
 */
public record VekCertificate(String source, X509Certificate certificate, VekExtensions extensions) {
    /** Reads one DER or PEM certificate and its AMD extensions. */
    public static VekCertificate parse(String source, byte[] bytes) {
        X509Certificate cert = CertificateFiles.readOne(source, bytes);
        return of(source, cert);
    }

    public static VekCertificate of(String source, X509Certificate cert) {
        return new VekCertificate(source, cert, VekExtensions.parse(source, cert::getExtensionValue));
    }

    /** The product named by the productName extension ({@code Milan-B0} is Milan). */
    public Optional<Product> product() {
        return extensions.productName().flatMap(Product::fromProductName);
    }

    public String subjectCn() {
        return Names.cn(certificate.getSubjectX500Principal());
    }

    public String issuerCn() {
        return Names.cn(certificate.getIssuerX500Principal());
    }
}
