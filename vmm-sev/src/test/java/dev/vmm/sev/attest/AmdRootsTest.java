package dev.vmm.sev.attest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The built-in AMD roots are AMD's: the fingerprints the testdata README lists, and the same bytes as the vectors. */
class AmdRootsTest {
    @ParameterizedTest
    @CsvSource({
            "MILAN, 69d063b45344d26a2e94e1f4210de49ef555308287d4c174445c95639a540bcd, 67d303bd, 8c0bac1b, 0x10001, 0x10101",
            "GENOA, 4c6598d19c18719c5dfd4a7d335f674e5bfe1d8f800cea2cf270c10d103db2f1, 5464738c, 6e828521, 0x20002, 0x20101",
            "TURIN, 1f084161a44bb6d93778a904877d4819cafa5d05ef4193b2ded9dd9c73dd3f6a, 5b77ef5f, ae3b3185, 0x30001, 0x30101",
    })
    void builtInChainsMatchTheReadme(Product p, String arkSha256, String askStart, String askEnd, String askSerial,
                                      String asvkSerial) throws Exception {
        AmdChain chain = AmdRoots.chain(p).orElseThrow();
        assertThat(chain.embedded()).isTrue();
        X509Certificate ark = chain.ark().orElseThrow();
        X509Certificate ask = chain.ask().orElseThrow();
        X509Certificate asvk = chain.asvk().orElseThrow();
        assertThat(AmdRoots.fingerprint(ark)).isEqualTo(arkSha256);
        assertThat(AmdRoots.fingerprint(ask)).startsWith(askStart).endsWith(askEnd);
        assertThat(ask.getSerialNumber().longValue()).isEqualTo(Long.decode(askSerial));
        assertThat(Names.cn(ark.getSubjectX500Principal())).isEqualTo("ARK-" + p.kdsName());
        assertThat(Names.cn(ask.getSubjectX500Principal())).isEqualTo("SEV-" + p.kdsName());
        assertThat(Names.cn(asvk.getSubjectX500Principal())).isEqualTo("SEV-VLEK-" + p.kdsName());
        assertThat(asvk.getSerialNumber().longValue()).isEqualTo(Long.decode(asvkSerial));
        // Byte-identical to virtee's ark.pem and ask.pem in the test vectors.
        String dir = p.kdsName().toLowerCase(java.util.Locale.ROOT) + "/";
        assertThat(ark.getEncoded()).isEqualTo(one(dir + "ark.pem").getEncoded());
        assertThat(ask.getEncoded()).isEqualTo(one(dir + "ask.pem").getEncoded());
        assertThat(AmdRoots.isAmdArk(p, ark)).isTrue();
        assertThat(AmdRoots.isAmdArk(p, ask)).isFalse();
    }

    private static X509Certificate one(String path) {
        return CertificateFiles.readOne(path, TestVectors.bytes(path));
    }

    @Test
    void veniceHasNoChainYet() {
        assertThat(AmdRoots.chain(Product.VENICE)).isEmpty();
        assertThat(AmdRoots.isAmdArk(Product.VENICE, AmdRoots.chain(Product.MILAN).orElseThrow().ark().orElseThrow())).isFalse();
    }

    @Test
    void chainFilesAreSortedByRole() {
        AmdChain kds = AmdChain.read("cert_chain", TestVectors.bytes("milan/virtee_cert_chain.pem"));
        assertThat(kds.ark().map(c -> Names.cn(c.getSubjectX500Principal()))).contains("ARK-Milan");
        assertThat(kds.ask().map(c -> Names.cn(c.getSubjectX500Principal()))).contains("SEV-Milan");
        assertThat(kds.asvk()).isEmpty();
        assertThat(kds.embedded()).isFalse();
        AmdChain bundle = AmdChain.read("bundle", TestVectors.bytes("turin/ask_ark_asvk_bundle.pem"));
        assertThat(bundle.intermediateFor(SigningKey.VLEK).map(c -> Names.cn(c.getSubjectX500Principal()))).contains("SEV-VLEK-Turin");
        assertThat(bundle.intermediateFor(SigningKey.VCEK).map(c -> Names.cn(c.getSubjectX500Principal()))).contains("SEV-Turin");
    }

    @Test
    void twoCertificatesInOneRoleAreAnError() {
        byte[] ark = TestVectors.bytes("milan/ark.pem");
        byte[] twice = new byte[2 * ark.length];
        System.arraycopy(ark, 0, twice, 0, ark.length);
        System.arraycopy(ark, 0, twice, ark.length, ark.length);
        assertThatThrownBy(() -> AmdChain.read("c.pem", twice)).isInstanceOf(CertificateFormatException.class)
                .hasMessage("c.pem: ARK: two certificates in this role (ARK-Milan and ARK-Milan)");
        assertThat(AmdChain.of("x", List.of(), false).ark()).isEmpty();
    }
}
