package dev.vmm.sev.attest;

import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;

/**
 * The certificate chain checks, in AMD's order: the ARK signs itself and is AMD's, the ASK (or ASVK)
 * is signed by the ARK, the VCEK (or VLEK) by the ASK (or ASVK), and every certificate is valid at the
 * given time. Each check names the certificates by their CN.
 */
public final class ChainChecks {
    private ChainChecks() {}

    /** The four chain checks for an endorsement key of {@code kind}; {@code vek} is empty if it did not parse. */
    public static List<Check> run(AmdChain chain, Optional<Product> product, SigningKey kind, Optional<VekCertificate> vek,
                                  Instant at) {
        Optional<X509Certificate> intermediate = chain.intermediateFor(kind);
        List<Check> checks = new ArrayList<>();
        checks.add(ark(chain, product));
        checks.add(intermediate(chain, product, kind));
        checks.add(vek(chain, kind, vek, intermediate));
        checks.add(validity(chain, kind, vek, at));
        return checks;
    }

    static String intermediateRole(SigningKey kind) {
        return kind == SigningKey.VLEK ? "ASVK" : "ASK";
    }

    static String vekRole(SigningKey kind) {
        return kind == SigningKey.VLEK ? "VLEK" : "VCEK";
    }

    public static String intermediateCheckName(SigningKey kind) {
        return intermediateRole(kind).toLowerCase(java.util.Locale.ROOT) + "-signed-by-ark";
    }

    public static String vekCheckName(SigningKey kind) {
        return vekRole(kind).toLowerCase(java.util.Locale.ROOT) + "-signed-by-" + intermediateRole(kind).toLowerCase(java.util.Locale.ROOT);
    }

    private static Check ark(AmdChain chain, Optional<Product> product) {
        String name = "ark";
        if (chain.ark().isEmpty()) {
            return Check.fail(name, chain.origin() + " has no ARK (self-signed root)");
        }
        X509Certificate ark = chain.ark().get();
        String cn = Names.cn(ark.getSubjectX500Principal());
        List<String> problems = new ArrayList<>();
        PssSignatures.problem(ark, ark.getPublicKey()).ifPresent(p -> problems.add("self-signature: " + p));
        String pin;
        if (product.isPresent()) {
            String expected = "ARK-" + product.get().kdsName();
            if (!cn.equals(expected)) {
                problems.add("CN is " + cn + ", expected " + expected);
            }
            pin = AmdRoots.isAmdArk(product.get(), ark) ? "AMD's " + expected + " (pinned SHA-256 " + AmdRoots.fingerprint(ark) + ")"
                    : "not AMD's built-in " + expected + ": trusted because " + chain.origin() + " gave it";
        } else {
            pin = "product unknown, so not compared with AMD's ARK";
        }
        String what = cn + " from " + chain.origin() + ", " + pin;
        return problems.isEmpty() ? Check.pass(name, what + "; self-signature verifies (RSASSA-PSS SHA-384)")
                : Check.fail(name, what + "; " + String.join("; ", problems));
    }

    private static Check intermediate(AmdChain chain, Optional<Product> product, SigningKey kind) {
        String role = intermediateRole(kind);
        String name = intermediateCheckName(kind);
        Optional<X509Certificate> cert = chain.intermediateFor(kind);
        if (cert.isEmpty()) {
            return Check.fail(name, chain.origin() + " has no " + role);
        }
        if (chain.ark().isEmpty()) {
            return Check.fail(name, "no ARK to check the " + role + " against");
        }
        String expectedCn = product.map(p -> (kind == SigningKey.VLEK ? "SEV-VLEK-" : "SEV-") + p.kdsName()).orElse(null);
        return signedBy(name, role, cert.get(), "ARK", chain.ark().get(), expectedCn);
    }

    private static Check vek(AmdChain chain, SigningKey kind, Optional<VekCertificate> vek,
                             Optional<X509Certificate> intermediate) {
        String name = vekCheckName(kind);
        if (vek.isEmpty()) {
            return Check.fail(name, "no usable " + vekRole(kind) + " certificate");
        }
        if (intermediate.isEmpty()) {
            return Check.fail(name, chain.origin() + " has no " + intermediateRole(kind) + " to check the " + vekRole(kind) + " against");
        }
        return signedBy(name, vekRole(kind), vek.get().certificate(), intermediateRole(kind), intermediate.get(),
                "SEV-" + vekRole(kind));
    }

    private static Check signedBy(String name, String role, X509Certificate cert, String issuerRole, X509Certificate issuer,
                                  String expectedCn) {
        String cn = Names.cn(cert.getSubjectX500Principal());
        String issuerCn = Names.cn(issuer.getSubjectX500Principal());
        List<String> problems = new ArrayList<>();
        if (expectedCn != null && !cn.equals(expectedCn)) {
            problems.add(role + " CN is " + cn + ", expected " + expectedCn);
        }
        if (!cert.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
            problems.add(role + " issuer is " + Names.cn(cert.getIssuerX500Principal()) + ", not the " + issuerRole + " " + issuerCn);
        }
        PssSignatures.problem(cert, issuer.getPublicKey()).ifPresent(p -> problems.add(p + " with the key of " + issuerCn));
        String what = role + " " + cn + " under " + issuerRole + " " + issuerCn;
        return problems.isEmpty() ? Check.pass(name, what + ": RSASSA-PSS SHA-384 signature verifies")
                : Check.fail(name, what + ": " + String.join("; ", problems));
    }

    private static Check validity(AmdChain chain, SigningKey kind, Optional<VekCertificate> vek, Instant at) {
        List<String> ok = new ArrayList<>();
        List<String> bad = new ArrayList<>();
        List<Optional<X509Certificate>> certs = List.of(chain.ark(), chain.intermediateFor(kind), vek.map(VekCertificate::certificate));
        List<String> roles = List.of("ARK", intermediateRole(kind), vekRole(kind));
        for (int i = 0; i < certs.size(); i++) {
            if (certs.get(i).isEmpty()) {
                bad.add(roles.get(i) + " missing");
                continue;
            }
            X509Certificate c = certs.get(i).get();
            String span = roles.get(i) + " " + Names.cn(c.getSubjectX500Principal()) + " valid " + c.getNotBefore().toInstant()
                    + " .. " + c.getNotAfter().toInstant();
            try {
                c.checkValidity(Date.from(at));
                ok.add(span);
            } catch (CertificateExpiredException e) {
                bad.add(span + ": expired");
            } catch (CertificateNotYetValidException e) {
                bad.add(span + ": not yet valid");
            }
        }
        String when = "at " + at + ": ";
        return bad.isEmpty() ? Check.pass("validity", when + String.join("; ", ok)) : Check.fail("validity", when + String.join("; ", bad));
    }
}
