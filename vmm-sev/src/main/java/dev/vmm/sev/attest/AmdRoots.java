package dev.vmm.sev.attest;

import java.io.IOException;
import java.io.InputStream;
import java.security.cert.X509Certificate;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * AMD's ARK, ASK and ASVK for each product, built in (from AMD's KDS, as bundled by trustee) and pinned
 * by the SHA-256 of their DER encoding, so that a changed resource fails loudly instead of becoming a
 * new root of trust.
 */
public final class AmdRoots {
    /** SHA-256 of the DER of ARK, ASK and ASVK, in that order. */
    private static final Map<Product, List<String>> PINS = Map.of(
            Product.MILAN, List.of(
                    "69d063b45344d26a2e94e1f4210de49ef555308287d4c174445c95639a540bcd",
                    "67d303bd3905fd38db8b20e0793699870e7fa612eaad5dec358293fd8c0bac1b",
                    "c5e081f59b7efab1fe2f8b505e159704e72f29cab7ef7cf628a05a42439082f5"),
            Product.GENOA, List.of(
                    "4c6598d19c18719c5dfd4a7d335f674e5bfe1d8f800cea2cf270c10d103db2f1",
                    "5464738c1546aed5f2cecf1dc98c5c960a92e8913238a61711bc90ec6e828521",
                    "197e610743a917d6b9bb982a5a9226ccc0a15b611be0619e626aca9151457372"),
            Product.TURIN, List.of(
                    "1f084161a44bb6d93778a904877d4819cafa5d05ef4193b2ded9dd9c73dd3f6a",
                    "5b77ef5fe7a7a004fd9032668fba9d0fda22f88c4442069a479636a6ae3b3185",
                    "104e10a8bd060a3c20a434261a57d0588fd65a88915b4f65b08bdecaf8df1a3c"));

    private static final Map<Product, AmdChain> CHAINS = new EnumMap<>(Product.class);

    private AmdRoots() {}

    /** The built-in chain of a product; empty for a product AMD has published no chain for (Venice). */
    public static synchronized Optional<AmdChain> chain(Product product) {
        List<String> pins = PINS.get(product);
        if (pins == null) {
            return Optional.empty();
        }
        return Optional.of(CHAINS.computeIfAbsent(product, p -> load(p, pins)));
    }

    /** Whether {@code ark} is AMD's root for {@code product}, byte for byte. */
    public static boolean isAmdArk(Product product, X509Certificate ark) {
        List<String> pins = PINS.get(product);
        return pins != null && pins.get(0).equals(fingerprint(ark));
    }

    public static String fingerprint(X509Certificate cert) {
        try {
            return Names.sha256(cert.getEncoded());
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static AmdChain load(Product product, List<String> pins) {
        String name = product.kdsName().toLowerCase(java.util.Locale.ROOT) + "_ask_ark_asvk.pem";
        byte[] pem;
        try (InputStream in = AmdRoots.class.getResourceAsStream("amd/" + name)) {
            if (in == null) {
                throw new IllegalStateException("resource amd/" + name + " is missing from the build");
            }
            pem = in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read resource amd/" + name, e);
        }
        AmdChain chain = AmdChain.of("built-in AMD " + product + " chain", CertificateFiles.read(name, pem), true);
        List<Optional<X509Certificate>> certs = List.of(chain.ark(), chain.ask(), chain.asvk());
        for (int i = 0; i < certs.size(); i++) {
            String got = certs.get(i).map(AmdRoots::fingerprint).orElse("missing");
            if (!got.equals(pins.get(i))) {
                throw new IllegalStateException("resource amd/" + name + ": certificate " + i + " has SHA-256 " + got
                        + ", pinned " + pins.get(i));
            }
        }
        return chain;
    }
}
