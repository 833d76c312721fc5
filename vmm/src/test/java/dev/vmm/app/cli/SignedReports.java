package dev.vmm.app.cli;

import dev.vmm.sev.crypto.AmdEcdsaSignature;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Reports signed with the synthetic (non-AMD) VCEK of src/test/resources/attest/synthetic: the Milan
 * msft report's fields, whose TCB matches that VCEK, with its chip ID and a chosen measurement.
 */
final class SignedReports {
    private SignedReports() {}

    static byte[] withMeasurement(byte[] measurement) {
        byte[] b = resource("milan/msft_report_v3.bin");
        byte[] hwId = HexFormat.of().parseHex(new String(resource("synthetic/hwid.hex"), StandardCharsets.US_ASCII).strip());
        System.arraycopy(hwId, 0, b, 0x1a0, hwId.length);
        System.arraycopy(measurement, 0, b, 0x90, 48);
        try {
            String pem = new String(resource("synthetic/vcek_private_key.pem"), StandardCharsets.US_ASCII);
            byte[] der = Base64.getDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", ""));
            Signature s = Signature.getInstance("SHA384withECDSAinP1363Format");
            s.initSign(KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der)));
            s.update(b, 0, 0x2a0);
            byte[] amd = AmdEcdsaSignature.fromP1363(s.sign()).toBytes();
            System.arraycopy(amd, 0, b, 0x2a0, amd.length);
            return b;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] resource(String path) {
        try (InputStream in = SignedReports.class.getResourceAsStream("/attest/" + path)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
