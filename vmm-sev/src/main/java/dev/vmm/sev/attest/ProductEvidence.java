package dev.vmm.sev.attest;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Which CPU generation a report and key come from, and whether the sources agree. In order of
 * precedence: the product the user gave, the report's CPUID (v3+), the key's productName extension,
 * the key's issuer CN ({@code SEV-Milan}, {@code SEV-VLEK-Milan}), and for v2 reports a Turin-shaped
 * CHIP_ID. A v2 report with a masked CHIP_ID tells nothing by itself.
 */
public final class ProductEvidence {
    /** One source's opinion. */
    public record Claim(String basis, Product product) {}

    private final List<Claim> claims;

    private ProductEvidence(List<Claim> claims) {
        this.claims = List.copyOf(claims);
    }

    /** What the key alone says: productName, else the issuer CN. Used to parse v2 reports. */
    public static Optional<Product> fromKey(VekCertificate vek) {
        return vek.product().or(() -> fromIssuerCn(vek.issuerCn()));
    }

    public static ProductEvidence gather(Optional<Product> given, Optional<AttestationReport> report, Optional<VekCertificate> vek,
                                         String vekRole) {
        List<Claim> claims = new ArrayList<>();
        given.ifPresent(p -> claims.add(new Claim("given", p)));
        report.flatMap(AttestationReport::cpuid).ifPresent(c -> c.product().ifPresent(p -> claims.add(new Claim("report CPUID (" + c + ")", p))));
        vek.ifPresent(v -> {
            v.product().ifPresent(p -> claims.add(new Claim(vekRole + " productName " + v.extensions().productName().orElseThrow(), p)));
            fromIssuerCn(v.issuerCn()).ifPresent(p -> claims.add(new Claim(vekRole + " issuer " + v.issuerCn(), p)));
        });
        report.filter(r -> r.cpuid().isEmpty() && ChipIds.turinShaped(r.chipId()))
                .ifPresent(r -> claims.add(new Claim("v2 report with an 8-byte CHIP_ID", Product.TURIN)));
        return new ProductEvidence(claims);
    }

    private static Optional<Product> fromIssuerCn(String cn) {
        String rest = cn.startsWith("SEV-VLEK-") ? cn.substring(9) : cn.startsWith("SEV-") ? cn.substring(4) : null;
        return rest == null ? Optional.empty() : Product.byName(rest);
    }

    /** The product of the first claim in precedence order. */
    public Optional<Product> chosen() {
        return claims.isEmpty() ? Optional.empty() : Optional.of(claims.getFirst().product());
    }

    public List<Claim> claims() {
        return claims;
    }

    public Check check() {
        if (claims.isEmpty()) {
            return Check.fail("product", "cannot tell the product: no CPUID in the report, none named by the key; give the product");
        }
        Product p = claims.getFirst().product();
        String all = claims.stream().map(c -> c.basis() + ": " + c.product()).collect(Collectors.joining(", "));
        boolean agree = claims.stream().allMatch(c -> c.product() == p);
        return agree ? Check.pass("product", p + " (" + all + ")") : Check.fail("product", "sources disagree: " + all);
    }
}
