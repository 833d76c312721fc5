package dev.vmm.sev.attest;

import static dev.vmm.sev.attest.TestVectors.hex;
import static dev.vmm.sev.attest.TestVectors.vek;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** AMD's VCEK/VLEK extensions, read from the real certificates, and malformed ones. */
class VekCertificateTest {
    private static int[] spls(VekExtensions x) {
        return new int[] {x.blSpl().orElse(-1), x.teeSpl().orElse(-1), x.snpSpl().orElse(-1), x.ucodeSpl().orElse(-1)};
    }

    @Test
    void milanVcekFromDer() {
        VekCertificate v = vek("milan/virtee_vcek.der");
        VekExtensions x = v.extensions();
        assertThat(v.subjectCn()).isEqualTo("SEV-VCEK");
        assertThat(v.issuerCn()).isEqualTo("SEV-Milan");
        assertThat(v.certificate().getSerialNumber()).isZero();
        assertThat(x.structVersion()).hasValue(0);
        assertThat(x.productName()).contains("Milan-B0");
        assertThat(v.product()).contains(Product.MILAN);
        assertThat(spls(x)).containsExactly(3, 0, 8, 115);
        assertThat(x.fmcSpl()).isEmpty();
        assertThat(hex(x.hwId().orElseThrow())).isEqualTo(hex(TestVectors.report("milan/virtee_report_v2.bin").chipId()));
        assertThat(x.cspId()).isEmpty();
    }

    @Test
    void ucodeAbove127HasALeadingZeroByte() {
        VekExtensions x = vek("milan/msft_vcek.pem").extensions();
        assertThat(spls(x)).containsExactly(4, 0, 24, 219);
        assertThat(vek("milan/msft_vcek_reissued.pem").certificate().getPublicKey())
                .isEqualTo(vek("milan/msft_vcek.pem").certificate().getPublicKey());
    }

    @Test
    void genoaVceks() {
        assertThat(spls(vek("genoa/msft_vcek.pem").extensions())).containsExactly(10, 0, 23, 84);
        assertThat(vek("genoa/msft_vcek.pem").product()).contains(Product.GENOA);
        assertThat(spls(vek("genoa/trustee_azure_vcek.pem").extensions())).containsExactly(10, 0, 23, 84);
    }

    @Test
    void turinVcekHasFmcAndAnEightByteHwId() {
        VekCertificate v = vek("turin/msft_vcek.pem");
        VekExtensions x = v.extensions();
        assertThat(v.issuerCn()).isEqualTo("SEV-Turin");
        assertThat(x.structVersion()).hasValue(1);
        assertThat(x.productName()).contains("Turin");
        assertThat(x.fmcSpl()).hasValue(1);
        assertThat(spls(x)).containsExactly(1, 1, 4, 81);
        assertThat(hex(x.hwId().orElseThrow())).isEqualTo("59790fb1c39f35c1");

        VekExtensions other = vek("turin/virtee_vcek_no_report.der").extensions();
        assertThat(other.fmcSpl()).hasValue(0);
        assertThat(spls(other)).containsExactly(0, 0, 0, 9);
        assertThat(hex(other.hwId().orElseThrow())).isEqualTo("1e550a8ee5cf9f4d");
    }

    @Test
    void vlekNamesItsCloudProviderAndNoChip() {
        VekCertificate v = vek("milan/vlek/trustee_vlek.der");
        assertThat(v.subjectCn()).isEqualTo("SEV-VLEK");
        assertThat(v.issuerCn()).isEqualTo("SEV-VLEK-Milan");
        assertThat(v.extensions().productName()).contains("Milan");
        assertThat(v.extensions().hwId()).isEmpty();
        assertThat(v.extensions().cspId()).contains("CN=cc-us-east-2.amazonaws.com");
        assertThat(spls(v.extensions())).containsExactly(4, 0, 24, 217);
    }

    private static Map<String, byte[]> realExtensions() {
        var cert = vek("milan/virtee_vcek.der").certificate();
        Map<String, byte[]> m = new HashMap<>();
        for (String oid : cert.getNonCriticalExtensionOIDs()) {
            m.put(oid, cert.getExtensionValue(oid));
        }
        return m;
    }

    @Test
    void aHwIdNestedInOneMoreOctetStringIsAccepted() {
        Map<String, byte[]> m = realExtensions();
        byte[] chip = TestVectors.report("milan/virtee_report_v2.bin").chipId();
        byte[] nested = new byte[4 + chip.length];
        nested[0] = 0x04;
        nested[1] = 0x42;
        nested[2] = 0x04;
        nested[3] = 0x40;
        System.arraycopy(chip, 0, nested, 4, chip.length);
        m.put(VekExtensions.HW_ID, nested);
        assertThat(VekExtensions.parse("v", m::get).hwId().orElseThrow()).isEqualTo(chip);
    }

    @ParameterizedTest
    @CsvSource({
            "1.3.6.1.4.1.3704.1.3.1, 0404020201ff, blSPL, INTEGER exceeds 255",
            "1.3.6.1.4.1.3704.1.3.8, 04030201ff, ucodeSPL, INTEGER is negative",
            "1.3.6.1.4.1.3704.1.3.2, 0402020104, teeSPL, Extra data detected",
            "1.3.6.1.4.1.3704.1.3.3, 040316010a, snpSPL, tag 0x16, expected 0x02",
            "1.3.6.1.4.1.3704.1.3.9, 04020200, fmcSPL, malformed integer",
            "1.3.6.1.4.1.3704.1.2, 0403160180, productName, byte above 0x7f",
            "1.3.6.1.4.1.3704.1.1, 0480, structVersion, indefinite-length",
            "1.3.6.1.4.1.3704.1.3.1, 04810302010a, blSPL, not DER",
            "1.3.6.1.4.1.3704.1.3.3, 040402810101, snpSPL, not DER",
            "1.3.6.1.4.1.3704.1.4, 04050102030405, hwID, 5 bytes; a hwID has 64",
            "1.3.6.1.4.1.3704.1.5, 04, cspID, EOF found",
    })
    void malformedExtensionsNameTheirOid(String oid, String value, String name, String problem) {
        Map<String, byte[]> m = realExtensions();
        m.put(oid, TestVectors.hex(value));
        assertThatThrownBy(() -> VekExtensions.parse("vcek.der", m::get))
                .isInstanceOfSatisfying(CertificateFormatException.class, e -> {
                    assertThat(e.field()).isEqualTo(name + " extension (" + oid + ")");
                    assertThat(e.getMessage()).startsWith("vcek.der: " + name + " extension (" + oid + "): ").contains(problem);
                });
    }

    @Test
    void missingExtensionsAreEmpty() {
        VekExtensions x = VekExtensions.parse("v", oid -> null);
        assertThat(x.blSpl()).isEqualTo(OptionalInt.empty());
        assertThat(x.hwId()).isEmpty();
        assertThat(x.productName()).isEmpty();
    }

    @Test
    void certificateFilesNameWhatIsWrong() {
        byte[] der = TestVectors.bytes("milan/virtee_vcek.der");
        assertThatThrownBy(() -> VekCertificate.parse("x.der", new byte[] {0x30, 0x03, 1, 2, 3}))
                .isInstanceOf(CertificateFormatException.class).hasMessageStartingWith("x.der: DER certificate: not an X.509 certificate")
                .hasMessageNotContaining("Exception");
        assertThatThrownBy(() -> VekCertificate.parse("x.der", new byte[0]))
                .isInstanceOf(CertificateFormatException.class).hasMessage("x.der: DER certificate: empty, not a certificate");
        assertThatThrownBy(() -> VekCertificate.parse("x.der", new byte[] {'h', 'i'}))
                .isInstanceOf(CertificateFormatException.class).hasMessageContaining("neither PEM").hasMessageEndingWith("0x68)");
        byte[] trailing = java.util.Arrays.copyOf(der, der.length + 2);
        assertThatThrownBy(() -> VekCertificate.parse("x.der", trailing))
                .isInstanceOf(CertificateFormatException.class).hasMessage("x.der: DER certificate: 2 bytes after the certificate");
        byte[] key = "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n".getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> VekCertificate.parse("k.pem", key))
                .isInstanceOf(CertificateFormatException.class).hasMessage("k.pem: PEM block 1: is PRIVATE KEY, not a CERTIFICATE");
        byte[] open = "-----BEGIN CERTIFICATE-----\nAAAA\n".getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> VekCertificate.parse("o.pem", open))
                .isInstanceOf(CertificateFormatException.class).hasMessage("o.pem: PEM block 1: -----END CERTIFICATE----- not found");
        byte[] chain = TestVectors.bytes("milan/virtee_cert_chain.pem");
        assertThatThrownBy(() -> VekCertificate.parse("chain.pem", chain))
                .isInstanceOf(CertificateFormatException.class).hasMessage("chain.pem: file: 2 certificates; expected one");
        // An indented BEGIN line would be skipped by the PEM reader; the chain must not silently lose that certificate.
        String text = new String(chain, StandardCharsets.US_ASCII);
        int second = text.indexOf("-----BEGIN", 1);
        byte[] indented = (text.substring(0, second) + "  " + text.substring(second)).getBytes(StandardCharsets.US_ASCII);
        assertThat(CertificateFiles.read("chain.pem", chain)).hasSize(2);
        assertThatThrownBy(() -> CertificateFiles.read("i.pem", indented))
                .isInstanceOf(CertificateFormatException.class).hasMessageStartingWith("i.pem: PEM block 2: a BEGIN line");
    }
}
