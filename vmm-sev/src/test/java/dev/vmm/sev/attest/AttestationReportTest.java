package dev.vmm.sev.attest;

import static dev.vmm.sev.attest.TestVectors.hex;
import static dev.vmm.sev.attest.TestVectors.report;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vmm.sev.crypto.AmdEcdsaSignature;
import dev.vmm.sev.tcb.TcbLayout;
import dev.vmm.sev.tcb.TcbVersion;
import java.math.BigInteger;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every field of the real reports against the facts the testdata README lists for them. */
class AttestationReportTest {
    private static void tcb(TcbVersion t, int bl, int tee, int snp, int ucode) {
        assertThat(t.layout()).isEqualTo(TcbLayout.MILAN_GENOA);
        assertThat(t.fmc()).isEmpty();
        assertThat(new int[] {t.bootLoader(), t.tee(), t.snp(), t.microcode()}).containsExactly(bl, tee, snp, ucode);
    }

    @Test
    void milanVirteeV2() {
        AttestationReport r = report("milan/virtee_report_v2.bin");
        assertThat(r.version()).isEqualTo(2);
        assertThat(r.guestSvn()).isZero();
        assertThat(r.policy().raw()).isEqualTo(0x30000);
        assertThat(r.policy().set()).containsExactly(GuestPolicy.Bit.SMT);
        assertThat(r.policy().reservedBit17()).isTrue();
        assertThat(r.policy().abiMajor()).isZero();
        assertThat(r.vmpl()).isZero();
        assertThat(r.signatureAlgo()).isEqualTo(1);
        assertThat(r.platformInfo().set()).containsExactly(PlatformInfo.Bit.SMT_EN);
        assertThat(r.keyInfo().raw()).isZero();
        assertThat(r.keyInfo().signingKey()).contains(SigningKey.VCEK);
        assertThat(r.familyId()).containsOnly(0);
        assertThat(r.idKeyDigest()).containsOnly(0);
        assertThat(r.authorKeyDigest()).containsOnly(0);
        assertThat(r.hostData()).containsOnly(0);
        for (TcbVersion t : new TcbVersion[] {r.currentTcb(), r.reportedTcb(), r.committedTcb(), r.launchTcb()}) {
            tcb(t, 3, 0, 8, 115);
            assertThat(t.raw()).isEqualTo(0x7308000000000003L);
        }
        assertThat(r.currentVersion()).hasToString("1.52.4");
        assertThat(r.committedVersion()).hasToString("1.52.4");
        assertThat(hex(r.measurement())).isEqualTo(
                "7a1e5c266c0108dbc9bb94fa926951320940915d0aafb42464bd88b579ea158d3e1a0dc39b2c60bd95b9c480cd81841f");
        assertThat(hex(r.reportData())).isEqualTo("d447b55d197491bfe15cf298f9de9986b7a7c4be2468b4f6e2d53b71d7c64581"
                + "0b0f2cdfca0040433be063fc1a8293f0f3f8dae7b79fecb3d1cd82bd6a93ebfd");
        assertThat(hex(r.reportId())).isEqualTo("92b3b47d59f0a2a10a74c5678868a80238cf593c01a82f3cffb878e904c28d5b");
        assertThat(r.reportIdMa()).containsOnly(-1);
        assertThat(hex(r.chipId())).isEqualTo("d49554ec717f4e5b0fe6b143bcf0405bd7ae304727edf46603f2a76aef6a3abc"
                + "15d7af38db757039029f0efacfd08e244324884738c72b082e2f87a44d541eb6");
        assertThat(r.signature().r()).isEqualTo(new BigInteger(
                "72827fd0029b56ee2b7dec81480554cb05c0379cc2cb70e13da66ea9b7ee4044d54a2af43d235f62971966aa114fab61", 16));
        assertThat(r.signature().s()).isEqualTo(new BigInteger(
                "49bf903b08ac41cb4673dccf309eabc5446dbb31a95cb1407e976e8c773bc5bbeabf6efe571daf0b1d9a91beb97e9d20", 16));
        // v2: no CPUID, no mitigation vectors, and a 64-byte chip id says "Milan or Genoa", not which.
        assertThat(r.cpuid()).isEmpty();
        assertThat(r.launchMitVector()).isEmpty();
        assertThat(r.currentMitVector()).isEmpty();
        assertThat(r.product()).isEmpty();
        assertThat(r.tcbLayout()).isEqualTo(TcbLayout.MILAN_GENOA);
    }

    @Test
    void aV2ReportTakesItsProductFromTheHint() {
        byte[] b = TestVectors.bytes("milan/virtee_report_v2.bin");
        assertThat(AttestationReport.parse("r", b, Optional.of(Product.GENOA)).product()).contains(Product.GENOA);
    }

    @Test
    void milanMsftV3() {
        AttestationReport r = report("milan/msft_report_v3.bin");
        assertThat(r.version()).isEqualTo(3);
        assertThat(r.cpuid()).contains(new ReportCpuid(0x19, 0x01, 0x01));
        assertThat(r.product()).contains(Product.MILAN);
        assertThat(r.guestSvn()).isEqualTo(2);
        assertThat(r.policy().raw()).isEqualTo(0x3001f);
        assertThat(r.policy().abiMinor()).isEqualTo(31);
        assertThat(r.platformInfo().set()).containsExactly(PlatformInfo.Bit.SMT_EN, PlatformInfo.Bit.ECC_EN,
                PlatformInfo.Bit.ALIAS_CHECK_COMPLETE);
        assertThat(hex(r.familyId())).isEqualTo("01000000000000000000000000000000");
        assertThat(hex(r.imageId())).isEqualTo("02000000000000000000000000000000");
        for (TcbVersion t : new TcbVersion[] {r.currentTcb(), r.reportedTcb(), r.committedTcb(), r.launchTcb()}) {
            tcb(t, 4, 0, 24, 219);
        }
        assertThat(r.currentVersion()).hasToString("1.55.29");
        assertThat(hex(r.hostData())).isEqualTo("4f4448c67f3c8dfc8de8a5e37125d807dadcc41f06cf23f615dbd52eec777d10");
        assertThat(hex(r.idKeyDigest())).isEqualTo(
                "0ad79ceb0b648b0e6a90d8aa9f6ea24c33a968b6632085353145e8b19a4741a2dab9ba342e13be4fc0d225e889cc1a58");
        assertThat(r.reportData()).containsOnly(0);
        assertThat(r.signature().r().toString(16)).isEqualTo(
                "b7f353f81c3e3fd9ffe59288c8131d8585589a6eb706a0368492dbe1a438b238ade5ce55fc69a569e77ffa8ce67cc9c4");
    }

    @Test
    void milanTrusteeV2KeepsCurrentAndReportedTcbApart() {
        AttestationReport r = report("milan/trustee_report_v2.bin");
        assertThat(r.guestSvn()).isEqualTo(4);
        tcb(r.currentTcb(), 3, 0, 8, 206);
        tcb(r.reportedTcb(), 3, 0, 8, 115);
        tcb(r.committedTcb(), 3, 0, 8, 115);
        tcb(r.launchTcb(), 3, 0, 8, 115);
        assertThat(hex(r.reportData())).startsWith("ec6c52d7533cc2c4f45be7849cf112ab82b2009fe7bd43e71ed08c14400ad7e2")
                .endsWith("0".repeat(64));
    }

    @Test
    void milanVlekV3() {
        AttestationReport r = report("milan/vlek/trustee_vlek_report_v3.bin");
        assertThat(r.keyInfo().raw()).isEqualTo(4);
        assertThat(r.keyInfo().signingKey()).contains(SigningKey.VLEK);
        assertThat(r.vmpl()).isEqualTo(1);
        assertThat(r.chipIdMasked()).isTrue();
        assertThat(r.platformInfo().raw()).isEqualTo(0x27);
        assertThat(r.platformInfo().set()).containsExactly(PlatformInfo.Bit.SMT_EN, PlatformInfo.Bit.TSME_EN,
                PlatformInfo.Bit.ECC_EN, PlatformInfo.Bit.ALIAS_CHECK_COMPLETE);
        tcb(r.currentTcb(), 4, 0, 24, 220);
        tcb(r.reportedTcb(), 4, 0, 24, 217);
        tcb(r.committedTcb(), 4, 0, 24, 219);
        assertThat(hex(r.measurement())).startsWith("8922ebbdd00ec2c5");
    }

    @Test
    void milanV5KeepsTheLegacyTcbLayout() {
        AttestationReport r = report("milan/pysnputils_report_v5_unverified.bin");
        assertThat(r.version()).isEqualTo(5);
        assertThat(r.product()).contains(Product.MILAN);
        assertThat(r.tcbLayout()).isEqualTo(TcbLayout.MILAN_GENOA);
        tcb(r.reportedTcb(), 4, 0, 27, 222);
        assertThat(r.launchMitVector()).hasValue(11);
        assertThat(r.currentMitVector()).hasValue(11);
        assertThat(r.currentVersion()).hasToString("1.55.35");
        assertThat(hex(r.chipId())).startsWith("177f9fae1f03c23f");
    }

    @Test
    void genoaMsftAndAzure() {
        AttestationReport m = report("genoa/msft_report_v3.bin");
        assertThat(m.cpuid()).contains(new ReportCpuid(0x19, 0x11, 0x01));
        assertThat(m.product()).contains(Product.GENOA);
        tcb(m.reportedTcb(), 10, 0, 23, 84);
        assertThat(m.currentVersion()).hasToString("1.55.40");
        assertThat(m.platformInfo().raw()).isEqualTo(0x27);
        assertThat(hex(m.measurement())).isEqualTo(hex(report("milan/msft_report_v3.bin").measurement()));
        assertThat(hex(m.reportId())).isEqualTo("c840e4fc01bec5121388abbf2e850c5b1d482adab7a4b06c4d93028c56599429");

        AttestationReport a = report("genoa/trustee_azure_report_v3.bin");
        assertThat(a.guestSvn()).isEqualTo(0x1000B);
        assertThat(a.platformInfo().set()).containsExactly(PlatformInfo.Bit.ECC_EN, PlatformInfo.Bit.ALIAS_CHECK_COMPLETE);
        assertThat(hex(a.familyId())).isEqualTo("01232000000000000000000000000000");
        assertThat(hex(a.idKeyDigest())).isEqualTo(
                "942fd93ebde6ea7a96efadeafc60f1c6b3d10e703b1dafd7555b92f7f3d32d0e006767648cba5b102af3d65756af4177");
    }

    @Test
    void turinV5UsesTheTurinLayoutAndKeepsUnknownPlatformBits() {
        AttestationReport r = report("turin/msft_report_v5.bin");
        assertThat(r.version()).isEqualTo(5);
        assertThat(r.cpuid()).contains(new ReportCpuid(0x1a, 0x02, 0x01));
        assertThat(r.product()).contains(Product.TURIN);
        assertThat(r.tcbLayout()).isEqualTo(TcbLayout.TURIN);
        for (TcbVersion t : new TcbVersion[] {r.currentTcb(), r.reportedTcb(), r.committedTcb(), r.launchTcb()}) {
            assertThat(t.fmc()).hasValue(1);
            assertThat(new int[] {t.bootLoader(), t.tee(), t.snp(), t.microcode()}).containsExactly(1, 1, 4, 81);
            assertThat(t).hasToString("fmc 1, bl 1, tee 1, snp 4, ucode 81");
        }
        assertThat(r.platformInfo().raw()).isEqualTo(0x65);
        assertThat(r.platformInfo().set()).containsExactly(PlatformInfo.Bit.SMT_EN, PlatformInfo.Bit.ECC_EN,
                PlatformInfo.Bit.ALIAS_CHECK_COMPLETE);
        assertThat(r.platformInfo().unknownBits()).isEqualTo(0x40);
        assertThat(r.launchMitVector()).hasValue(63);
        assertThat(r.currentMitVector()).hasValue(63);
        assertThat(r.currentVersion()).hasToString("1.55.65");
        assertThat(hex(r.chipId())).isEqualTo("59790fb1c39f35c1" + "0".repeat(112));
        assertThat(hex(r.hostData())).isEqualTo("b3452a0ed30f1010bd32740dd1610bc63296ceb0f882f2cac3a3152d651fe7e4");
        assertThat(r.signature().s().toString(16)).isEqualTo(
                "90ccc5069bf8711929599ded2f7892bea50620efb6bc7fd0c198843e14bce5f30951eadb044ac6544dcead70288e3f22");
    }

    @Test
    void theAmdSignatureFormatRoundTrips() {
        byte[] raw = TestVectors.bytes("genoa/msft_report_v3.bin");
        AmdEcdsaSignature sig = AttestationReport.parse("g", raw).signature();
        assertThat(sig.toBytes()).isEqualTo(java.util.Arrays.copyOfRange(raw, 0x2a0, 0x4a0));
        assertThat(AmdEcdsaSignature.fromP1363(sig.p1363(48))).isEqualTo(sig);
    }

    @Test
    void policyBitsDecodeByName() {
        GuestPolicy p = new GuestPolicy(0x3_ff_0000L | 0x0102 | 1L << 40);
        assertThat(p.set()).containsExactly(GuestPolicy.Bit.values());
        assertThat(p.abiMajor()).isEqualTo(1);
        assertThat(p.abiMinor()).isEqualTo(2);
        assertThat(p.unknownBits()).isEqualTo(1L << 40);
        assertThat(new GuestPolicy(1L << 19).set()).containsExactly(GuestPolicy.Bit.DEBUG);
        assertThat(new PlatformInfo(0xff).unknownBits()).isEqualTo(0x40);
        assertThat(new KeyInfo(0x1f).signingKey()).contains(SigningKey.NONE);
        assertThat(new KeyInfo(0x08).signingKey()).isEmpty();
        assertThat(new KeyInfo(0x23).reservedBits()).isEqualTo(0x20);
    }

    @Test
    void productsFromCpuidAndNames() {
        assertThat(Product.fromCpuid(0x19, 0x0f)).contains(Product.MILAN);
        assertThat(Product.fromCpuid(0x19, 0xa1)).contains(Product.GENOA);
        assertThat(Product.fromCpuid(0x19, 0x20)).isEmpty();
        assertThat(Product.fromCpuid(0x1a, 0x11)).contains(Product.TURIN);
        assertThat(Product.fromCpuid(0x1a, 0x12)).isEmpty();
        assertThat(Product.fromCpuid(0x1a, 0x90)).contains(Product.VENICE);
        assertThat(Product.fromCpuid(0x17, 0x31)).isEmpty();
        assertThat(Product.fromProductName("Milan-B0")).contains(Product.MILAN);
        assertThat(Product.byName("TURIN")).contains(Product.TURIN);
        assertThat(Product.byName("rome")).isEmpty();
    }
}
