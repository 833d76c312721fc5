package dev.vmm.sev.attest;

import dev.vmm.sev.tcb.TcbLayout;
import java.util.Locale;
import java.util.Optional;

/**
 * An SEV-SNP CPU generation as AMD's key distribution service names it: the product of the ARK, ASK
 * and VCEK. Bergamo and Siena parts are Genoa products.
 */
public enum Product {
    MILAN("Milan", TcbLayout.MILAN_GENOA),
    GENOA("Genoa", TcbLayout.MILAN_GENOA),
    TURIN("Turin", TcbLayout.TURIN),
    /** Known by CPUID so that its reports parse; AMD has published no certificate chain for it yet. */
    VENICE("Venice", TcbLayout.TURIN);

    private final String kdsName;
    private final TcbLayout tcbLayout;

    Product(String kdsName, TcbLayout tcbLayout) {
        this.kdsName = kdsName;
        this.tcbLayout = tcbLayout;
    }

    /** The name in KDS URLs and certificate CNs ({@code ARK-Milan}, {@code SEV-Milan}). */
    public String kdsName() {
        return kdsName;
    }

    public TcbLayout tcbLayout() {
        return tcbLayout;
    }

    /**
     * The product of a CPUID family and model (the report's CPUID_FAM_ID and CPUID_MOD_ID), with the
     * ranges virtee/sev, snpguest and trustee use; empty for parts that do not run SEV-SNP.
     */
    public static Optional<Product> fromCpuid(int family, int model) {
        if (family == 0x19) {
            if (model <= 0x0f) {
                return Optional.of(MILAN);
            }
            if (model >= 0x10 && model <= 0x1f || model >= 0xa0 && model <= 0xaf) {
                return Optional.of(GENOA);
            }
        } else if (family == 0x1a) {
            if (model <= 0x11) {
                return Optional.of(TURIN);
            }
            if (model >= 0x50 && model <= 0x57 || model >= 0x90 && model <= 0xaf || model >= 0xc0 && model <= 0xc7) {
                return Optional.of(VENICE);
            }
        }
        return Optional.empty();
    }

    /**
     * The product a certificate's productName extension names: {@code Milan-B0} (a VCEK, with the
     * stepping) or {@code Milan} (a VLEK).
     */
    public static Optional<Product> fromProductName(String productName) {
        int dash = productName.indexOf('-');
        return byName(dash < 0 ? productName : productName.substring(0, dash));
    }

    /** {@code milan}, {@code Genoa}, ... in any case. */
    public static Optional<Product> byName(String name) {
        for (Product p : values()) {
            if (p.kdsName.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return kdsName;
    }
}
