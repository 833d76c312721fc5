package dev.vmm.sev.attest;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever the bytes, reading a VCEK/VLEK (file or extension values) gives a certificate or a
 * {@link CertificateFormatException}, never another exception.
 */
class CertificateFuzzTest {
    private static final List<byte[]> REAL = List.of(TestVectors.bytes("milan/virtee_vcek.der"),
            TestVectors.bytes("turin/virtee_vcek_no_report.der"), TestVectors.bytes("milan/vlek/trustee_vlek.der"));
    private static final List<String> OIDS = List.of(VekExtensions.STRUCT_VERSION, VekExtensions.PRODUCT_NAME,
            VekExtensions.BL_SPL, VekExtensions.TEE_SPL, VekExtensions.SNP_SPL, VekExtensions.UCODE_SPL, VekExtensions.FMC_SPL,
            VekExtensions.HW_ID, VekExtensions.CSP_ID);

    private static void readsOrFailsCleanly(byte[] bytes) {
        try {
            VekCertificate v = VekCertificate.parse("fuzz", bytes);
            v.extensions().blSpl().ifPresent(s -> assertThat(s).isBetween(0, 255));
            v.extensions().hwId().ifPresent(h -> assertThat(h.length).isIn(8, 64));
        } catch (CertificateFormatException e) {
            assertThat(e.getMessage()).startsWith("fuzz: " + e.field() + ": ");
        }
    }

    @Property(tries = 1500)
    void mutatedRealCertificates(@ForAll("mutatedDer") byte[] bytes) {
        readsOrFailsCleanly(bytes);
    }

    @Property(tries = 300)
    void mutatedPem(@ForAll("mutatedPem") byte[] bytes) {
        readsOrFailsCleanly(bytes);
    }

    @Property(tries = 300)
    void arbitraryBytes(@ForAll("arbitrary") byte[] bytes) {
        readsOrFailsCleanly(bytes);
    }

    /** Extension values reach the DER reader directly, as the certificate decoder would rarely let them through. */
    @Property(tries = 3000)
    void arbitraryExtensionValues(@ForAll("extensionValue") byte[] value, @ForAll("oid") String oid) {
        try {
            VekExtensions x = VekExtensions.parse("fuzz", Map.of(oid, value)::get);
            x.ucodeSpl().ifPresent(s -> assertThat(s).isBetween(0, 255));
            x.hwId().ifPresent(h -> assertThat(h.length).isIn(8, 64));
        } catch (CertificateFormatException e) {
            assertThat(e.field()).endsWith("(" + oid + ")");
        }
    }

    @Provide
    Arbitrary<String> oid() {
        return Arbitraries.of(OIDS);
    }

    /** OCTET STRING wrappers around INTEGERs, strings and raw bytes, with lengths right and wrong. */
    @Provide
    Arbitrary<byte[]> extensionValue() {
        Arbitrary<byte[]> inner = Arbitraries.bytes().array(byte[].class).ofMaxSize(70);
        Arbitrary<Integer> tag = Arbitraries.of(0x02, 0x04, 0x16, 0x30, 0x00);
        Arbitrary<Integer> lengthDelta = Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(6, Arbitraries.just(0)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(-3, 3)));
        Arbitrary<byte[]> element = Combinators.combine(tag, inner, lengthDelta).as((t, c, d) -> tlv(t, c, d));
        Arbitrary<byte[]> wrapped = Combinators.combine(element, lengthDelta).as((e, d) -> tlv(0x04, e, d));
        return Arbitraries.oneOf(wrapped, inner, Combinators.combine(inner, Arbitraries.of(0x80, 0x81, 0x82, 0x84, 0x85, 0xff))
                .as((c, l) -> {
                    byte[] b = new byte[c.length + 2];
                    b[0] = 0x04;
                    b[1] = (byte) (int) l;
                    System.arraycopy(c, 0, b, 2, c.length);
                    return b;
                }));
    }

    private static byte[] tlv(int tag, byte[] content, int lengthDelta) {
        int length = Math.max(0, content.length + lengthDelta);
        byte[] header = length < 0x80 ? new byte[] {(byte) tag, (byte) length} : new byte[] {(byte) tag, (byte) 0x81, (byte) length};
        byte[] b = Arrays.copyOf(header, header.length + content.length);
        System.arraycopy(content, 0, b, header.length, content.length);
        return b;
    }

    @Provide
    Arbitrary<byte[]> mutatedDer() {
        Arbitrary<int[]> change = Combinators.combine(Arbitraries.integers().between(0, 1400), Arbitraries.integers().between(0, 255))
                .as((at, v) -> new int[] {at, v});
        return Combinators.combine(Arbitraries.of(REAL), change.list().ofMinSize(1).ofMaxSize(4), Arbitraries.integers().between(0, 8))
                .as((real, changes, cut) -> {
                    byte[] b = real.clone();
                    for (int[] c : changes) {
                        b[c[0] % b.length] = (byte) c[1];
                    }
                    return cut == 0 ? Arrays.copyOf(b, b.length / 2) : b;
                });
    }

    @Provide
    Arbitrary<byte[]> mutatedPem() {
        return Combinators.combine(mutatedDer(), Arbitraries.of("CERTIFICATE", "PRIVATE KEY", "CERT"), Arbitraries.of(true, false))
                .as((der, type, closed) -> ("junk\n-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder().encodeToString(der)
                        + (closed ? "\n-----END " + type + "-----\n" : "\n")).getBytes(StandardCharsets.US_ASCII));
    }

    @Provide
    Arbitrary<byte[]> arbitrary() {
        return Arbitraries.oneOf(Arbitraries.bytes().array(byte[].class).ofMaxSize(600),
                Arbitraries.strings().ofMaxLength(200).map(s -> ("-----BEGIN CERTIFICATE-----" + s + "-----END CERTIFICATE-----")
                        .getBytes(StandardCharsets.UTF_8)));
    }
}
