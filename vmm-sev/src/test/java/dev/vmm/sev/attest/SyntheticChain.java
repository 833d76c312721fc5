package dev.vmm.sev.attest;

import dev.vmm.sev.crypto.AmdEcdsaSignature;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * The synthetic (non-AMD) ARK, ASK and VCEK in src/test/resources/attest/synthetic (made by its
 * generate.sh), and reports signed with that VCEK's private key: every field can be set and the report
 * still verifies, so that one check at a time can be made to fail.
 */
final class SyntheticChain {
    static final String CHAIN = "synthetic/cert_chain.pem";
    static final String VCEK = "synthetic/vcek.pem";
    /** The VCEK is valid 2025-01-01 .. 2032-01-01; the ARK and ASK 2024-01-01 .. 2049-01-01. */
    static final Instant AT = Instant.parse("2026-06-01T00:00:00Z");
    static final byte[] HWID = TestVectors.hex(new String(TestVectors.bytes("synthetic/hwid.hex"), StandardCharsets.US_ASCII).strip());

    private SyntheticChain() {}

    /**
     * A Milan v3 report (the msft vector's fields: TCB bl 4, tee 0, snp 24, ucode 219, as in the
     * synthetic VCEK) with the synthetic chip ID, not yet signed.
     */
    static byte[] template() {
        byte[] b = TestVectors.bytes("milan/msft_report_v3.bin");
        System.arraycopy(HWID, 0, b, 0x1a0, 64);
        return b;
    }

    /** Signs bytes 0x000..0x29F with the synthetic VCEK key and stores R and S in AMD's format. */
    static byte[] sign(byte[] report) {
        try {
            String pem = new String(TestVectors.bytes("synthetic/vcek_private_key.pem"), StandardCharsets.US_ASCII);
            String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
            Signature s = Signature.getInstance("SHA384withECDSAinP1363Format");
            s.initSign(key);
            s.update(report, 0, AttestationReport.SIGNED_LENGTH);
            byte[] out = report.clone();
            byte[] amd = AmdEcdsaSignature.fromP1363(s.sign()).toBytes();
            System.arraycopy(amd, 0, out, 0x2a0, amd.length);
            return out;
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static VerificationRequest request(byte[] signedReport, Instant at, Expected expected) {
        return new VerificationRequest("synthetic.bin", signedReport, SigningKey.VCEK, VCEK, TestVectors.bytes(VCEK),
                Optional.of(AmdChain.read(CHAIN, TestVectors.bytes(CHAIN))), Optional.empty(), at, expected);
    }

    static Verification verify(byte[] signedReport) {
        return ReportVerifier.verify(request(signedReport, AT, Expected.none()));
    }
}
