package dev.vmm.sev.attest;

import dev.vmm.sev.crypto.AmdEcdsaSignature;
import dev.vmm.sev.crypto.EcCurve;
import dev.vmm.sev.crypto.EcdsaDigest;
import java.security.InvalidKeyException;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/** Checks of the report itself: which key signed it, the signature, and the owner's expected values. */
public final class ReportChecks {
    private ReportChecks() {}

    /** SIGNATURE_ALGO is ECDSA P-384 SHA-384, the report is signed, and KEY_INFO names the key given. */
    public static Check signingKey(AttestationReport r, SigningKey kind) {
        List<String> bad = new ArrayList<>();
        if (r.signatureAlgo() != AmdEcdsaSignature.SNP_ECDSA_P384_SHA384) {
            bad.add("SIGNATURE_ALGO is " + r.signatureAlgo() + ", not 1 (ECDSA P-384 SHA-384)");
        }
        if (r.keyInfo().maskChipKey()) {
            bad.add("MASK_CHIP_KEY is set: the firmware did not sign the report");
        }
        String signer = r.keyInfo().signingKey().map(Enum::name).orElse("reserved value " + r.keyInfo().signingKeyCode());
        if (r.keyInfo().signingKey().orElse(null) != kind) {
            bad.add("KEY_INFO.SIGNING_KEY is " + signer + ", but a " + kind + " was given");
        }
        String what = String.format("KEY_INFO 0x%x: SIGNING_KEY %s, SIGNATURE_ALGO %d", r.keyInfo().raw(), signer, r.signatureAlgo());
        return bad.isEmpty() ? Check.pass("signing-key", what) : Check.fail("signing-key", what + ": " + String.join("; ", bad));
    }

    /** ECDSA P-384 SHA-384 over report bytes 0x000..0x29F with the endorsement key's public key. */
    public static Check signature(AttestationReport r, VekCertificate vek, String vekRole) {
        String what = "ECDSA P-384 SHA-384 over bytes 0x000..0x29f with the " + vekRole + "'s key";
        PublicKey key = vek.certificate().getPublicKey();
        if (!(key instanceof ECPublicKey ec) || !EcCurve.P384.matches(ec.getParams())) {
            return Check.fail("report-signature", vekRole + " key is " + key.getAlgorithm() + ", not EC P-384");
        }
        if (r.signature().isZero()) {
            return Check.fail("report-signature", what + ": the signature is all zero (unsigned report)");
        }
        try {
            return r.signature().verifies(ec, EcdsaDigest.SHA384, r.raw(), 0, AttestationReport.SIGNED_LENGTH)
                    ? Check.pass("report-signature", what + ": verifies")
                    : Check.fail("report-signature", what + ": does not verify");
        } catch (InvalidKeyException e) {
            return Check.fail("report-signature", what + ": " + e.getMessage());
        }
    }

    /** Owner-supplied values, one check each, only for the values given. */
    public static List<Check> expected(AttestationReport r, Expected e) {
        List<Check> checks = new ArrayList<>();
        e.measurement().ifPresent(m -> checks.add(equal("measurement", "MEASUREMENT", r.measurement(), m, false,
                e.measurementOrigin().isEmpty() ? "" : " (expected " + e.measurementOrigin() + ")")));
        e.reportData().ifPresent(d -> checks.add(equal("report-data", "REPORT_DATA", r.reportData(), d, true, "")));
        e.hostData().ifPresent(h -> checks.add(equal("host-data", "HOST_DATA", r.hostData(), h, false, "")));
        return checks;
    }

    private static Check equal(String name, String field, byte[] actual, byte[] expected, boolean padShort,
                               String origin) {
        HexFormat hex = HexFormat.of();
        if (expected.length > actual.length || !padShort && expected.length != actual.length) {
            return Check.fail(name, "expected value has " + expected.length + " bytes; " + field + " has " + actual.length);
        }
        byte[] padded = Arrays.copyOf(expected, actual.length);
        String pad = expected.length < actual.length ? " (given " + expected.length + " bytes, zero-padded)" : "";
        return Arrays.equals(actual, padded)
                ? Check.pass(name, field + " " + hex.formatHex(actual) + " as expected" + pad + origin)
                : Check.fail(name, field + " is " + hex.formatHex(actual) + ", expected " + hex.formatHex(padded) + pad + origin);
    }
}
