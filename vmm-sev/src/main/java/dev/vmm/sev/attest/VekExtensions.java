package dev.vmm.sev.attest;

import dev.vmm.sev.crypto.Der;
import dev.vmm.sev.crypto.DerException;
import java.math.BigInteger;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.BERTags;

/**
 * AMD's extensions in a VCEK or VLEK certificate (OID arc 1.3.6.1.4.1.3704.1; AMD "Versioned Chip
 * Endorsement Key (VCEK) Certificate and KDS Interface Specification"): the TCB the key was derived
 * for, the chip it belongs to (VCEK) or the cloud provider that loaded it (VLEK). Absent extensions
 * are empty; present but malformed ones are errors.
 *
 * @param hwId the chip ID, raw: 64 bytes (Milan, Genoa) or 8 (Turin); absent on a VLEK
 */
public record VekExtensions(
        OptionalInt structVersion,
        Optional<String> productName,
        OptionalInt blSpl,
        OptionalInt teeSpl,
        OptionalInt snpSpl,
        OptionalInt ucodeSpl,
        OptionalInt fmcSpl,
        Optional<byte[]> hwId,
        Optional<String> cspId) {

    private static final String ARC = "1.3.6.1.4.1.3704.1.";
    public static final String STRUCT_VERSION = ARC + "1";
    public static final String PRODUCT_NAME = ARC + "2";
    public static final String BL_SPL = ARC + "3.1";
    public static final String TEE_SPL = ARC + "3.2";
    public static final String SNP_SPL = ARC + "3.3";
    public static final String UCODE_SPL = ARC + "3.8";
    public static final String FMC_SPL = ARC + "3.9";
    public static final String HW_ID = ARC + "4";
    public static final String CSP_ID = ARC + "5";

    private static final int SPL_MAX = 0xff;

    /**
     * Reads the extensions through {@code extensionValue}, which maps an OID to the DER extnValue as
     * {@link java.security.cert.X509Extension#getExtensionValue} returns it (an OCTET STRING wrapping
     * the value) or null.
     */
    public static VekExtensions parse(String source, Function<String, byte[]> extensionValue) {
        Reader r = new Reader(source, extensionValue);
        return new VekExtensions(r.integer(STRUCT_VERSION, "structVersion", Integer.MAX_VALUE),
                r.string(PRODUCT_NAME, "productName"),
                r.integer(BL_SPL, "blSPL", SPL_MAX), r.integer(TEE_SPL, "teeSPL", SPL_MAX), r.integer(SNP_SPL, "snpSPL", SPL_MAX),
                r.integer(UCODE_SPL, "ucodeSPL", SPL_MAX), r.integer(FMC_SPL, "fmcSPL", SPL_MAX), r.hwId(),
                r.string(CSP_ID, "cspID"));
    }

    private record Reader(String source, Function<String, byte[]> values) {
        /** What the extnValue OCTET STRING wraps. */
        private Optional<byte[]> content(String oid) throws DerException {
            byte[] v = values.apply(oid);
            return v == null ? Optional.empty() : Optional.of(octets(v));
        }

        private static byte[] octets(byte[] der) throws DerException {
            return Der.as(Der.decode(der), ASN1OctetString.class, BERTags.OCTET_STRING).getOctets();
        }

        private CertificateFormatException error(String oid, String name, DerException e) {
            return new CertificateFormatException(source, name + " extension (" + oid + ")", e.getMessage());
        }

        OptionalInt integer(String oid, String name, int max) {
            try {
                Optional<byte[]> c = content(oid);
                if (c.isEmpty()) {
                    return OptionalInt.empty();
                }
                BigInteger v = Der.as(Der.decode(c.get()), ASN1Integer.class, BERTags.INTEGER).getValue();
                if (v.signum() < 0) {
                    throw new DerException("INTEGER is negative");
                }
                if (v.compareTo(BigInteger.valueOf(max)) > 0) {
                    throw new DerException("INTEGER exceeds " + max);
                }
                return OptionalInt.of(v.intValueExact());
            } catch (DerException e) {
                throw error(oid, name, e);
            }
        }

        Optional<String> string(String oid, String name) {
            try {
                Optional<byte[]> c = content(oid);
                if (c.isEmpty()) {
                    return Optional.empty();
                }
                String s = Der.as(Der.decode(c.get()), ASN1IA5String.class, BERTags.IA5_STRING).getString();
                if (!ASN1IA5String.isIA5String(s)) {
                    throw new DerException("IA5String has a byte above 0x7f");
                }
                return Optional.of(s);
            } catch (DerException e) {
                throw error(oid, name, e);
            }
        }

        /** Raw bytes; some VCEKs nest one more OCTET STRING (trustee accepts both), so unwrap that. */
        Optional<byte[]> hwId() {
            try {
                Optional<byte[]> c = content(HW_ID);
                if (c.isEmpty()) {
                    return c;
                }
                byte[] id = c.get();
                if (id.length != ReportLayout.CHIP_ID_SIZE && id.length != ChipIds.TURIN_HWID_SIZE && id.length > 0
                        && id[0] == BERTags.OCTET_STRING) {
                    id = octets(id);
                }
                if (id.length != ReportLayout.CHIP_ID_SIZE && id.length != ChipIds.TURIN_HWID_SIZE) {
                    throw new DerException(id.length + " bytes; a hwID has 64 (Milan, Genoa) or 8 (Turin)");
                }
                return Optional.of(id);
            } catch (DerException e) {
                throw error(HW_ID, "hwID", e);
            }
        }
    }
}
