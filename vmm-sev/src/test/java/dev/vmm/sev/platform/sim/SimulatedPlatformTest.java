package dev.vmm.sev.platform.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmm.core.sys.Errno;
import dev.vmm.sev.attest.Product;
import dev.vmm.sev.platform.DevSevPlatform;
import dev.vmm.sev.platform.PdhCertExport;
import dev.vmm.sev.platform.PlatformException;
import dev.vmm.sev.platform.PlatformState;
import dev.vmm.sev.platform.PlatformStatus;
import dev.vmm.sev.platform.SevCertificate;
import dev.vmm.sev.platform.SnpConfig;
import dev.vmm.sev.platform.SnpPlatformStatus;
import dev.vmm.sev.psp.FirmwareError;
import dev.vmm.sev.psp.PspException;
import dev.vmm.sev.tcb.TcbLayout;
import dev.vmm.sev.tcb.TcbVersion;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The platform commands through {@link DevSevPlatform}, the code path of the real {@code /dev/sev}, with
 * the simulated device decoding the struct bytes in place of the kernel.
 */
class SimulatedPlatformTest {
    private final SecureRandom random = new SecureRandom();
    private SimulatedSevFirmware firmware;
    private DevSevPlatform platform;

    @BeforeEach
    void manufacture() {
        firmware = SimulatedSevFirmware.manufacture(random);
        platform = new DevSevPlatform(new SimulatedSevDevice(firmware, true));
    }

    static void assertFirmwareError(ThrowingCallable call, String command, FirmwareError error) {
        assertThatThrownBy(call).isInstanceOfSatisfying(PspException.class, e -> {
            assertThat(e.command()).isEqualTo(command);
            assertThat(e.errno()).isEqualTo(Errno.EIO);
            assertThat(e.firmwareError()).isEqualTo(error.code());
            assertThat(e.getMessage()).contains(error.name());
        });
    }

    static void assertErrno(ThrowingCallable call, String command, int errno) {
        assertThatThrownBy(call).isInstanceOfSatisfying(PspException.class, e -> {
            assertThat(e.command()).isEqualTo(command);
            assertThat(e.errno()).isEqualTo(errno);
            assertThat(e.firmwareError()).isZero();
        });
    }

    @Test
    void statusStartsUninitialisedAndSelfOwned() {
        PlatformStatus s = platform.status();
        assertThat(s.state()).isEqualTo(PlatformState.UNINIT);
        assertThat(s.apiMajor()).isEqualTo(1);
        assertThat(s.apiMinor()).isEqualTo(55);
        assertThat(s.build()).isEqualTo(21);
        assertThat(s.externallyOwned()).isFalse();
        assertThat(s.sevEsInitialised()).isFalse();
        assertThat(s.guestCount()).isZero();
        assertThat(platform.isSimulated()).isTrue();
    }

    @Test
    void pekGenInitialisesAsTheKernelDoesAndReplacesEveryPlatformKey() {
        PdhCertExport before = exportAfterInit();
        platform.pekGen();
        PdhCertExport after = platform.pdhCertExport();
        assertThat(platform.status().state()).isEqualTo(PlatformState.INIT);
        assertThat(platform.status().sevEsInitialised()).isTrue();
        assertThat(after.chainCertificate(0).publicKey().getW()).as("new PEK")
                .isNotEqualTo(before.chainCertificate(0).publicKey().getW());
        assertThat(after.chainCertificate(1).publicKey().getW()).as("new OCA")
                .isNotEqualTo(before.chainCertificate(1).publicKey().getW());
        assertThat(after.pdhCertificate().publicKey().getW()).as("new PDH")
                .isNotEqualTo(before.pdhCertificate().publicKey().getW());
        assertThat(after.chainCertificate(2).encode()).as("the CEK is fused").isEqualTo(before.chainCertificate(2).encode());
        assertChainVerifies(after);
    }

    @Test
    void pdhGenReplacesOnlyThePdh() {
        PdhCertExport before = exportAfterInit();
        platform.pdhGen();
        PdhCertExport after = platform.pdhCertExport();
        assertThat(after.pdhCertificate().publicKey().getW()).isNotEqualTo(before.pdhCertificate().publicKey().getW());
        assertThat(after.chain()).isEqualTo(before.chain());
        assertChainVerifies(after);
    }

    @Test
    void pdhExportChainIsPekOcaCekInSevFormat() {
        PdhCertExport export = exportAfterInit();
        assertThat(export.pdh()).hasSize(SevCertificate.SIZE);
        assertThat(export.chain()).hasSize(3 * SevCertificate.SIZE);
        assertThat(export.pdhCertificate().pubkeyUsage()).isEqualTo(SevCertificate.USAGE_PDH);
        assertThat(export.pdhCertificate().pubkeyAlgo()).isEqualTo(SevCertificate.ALGO_ECDH_SHA256);
        assertThat(export.chainCertificate(0).pubkeyUsage()).isEqualTo(SevCertificate.USAGE_PEK);
        assertThat(export.chainCertificate(1).pubkeyUsage()).isEqualTo(SevCertificate.USAGE_OCA);
        assertThat(export.chainCertificate(2).pubkeyUsage()).isEqualTo(SevCertificate.USAGE_CEK);
        assertThat(export.chainCertificate(2).signature(0).isEmpty()).as("SIMULATED: no ASK signs the CEK").isTrue();
        assertChainVerifies(export);
    }

    @Test
    void ownershipTransferThroughCsrAndImport() throws Exception {
        platform.pekGen();
        byte[] csr = platform.pekCsr();
        SevCertificate unsigned = SevCertificate.parse(csr, "csr");
        assertThat(unsigned.signature(0).isEmpty()).isTrue();
        assertThat(unsigned.signature(1).isEmpty()).isTrue();
        assertThat(unsigned.publicKey().getW()).isEqualTo(platform.pdhCertExport().chainCertificate(0).publicKey().getW());

        KeyPair owner = p384();
        SevCertificate oca = ocaCertificate(owner);
        SevCertificate signed = unsigned.sign(0, SevCertificate.USAGE_OCA, SevCertificate.ALGO_ECDSA_SHA256, owner.getPrivate());
        platform.pekCertImport(signed.encode(), oca.encode());

        assertThat(platform.status().externallyOwned()).isTrue();
        PdhCertExport export = platform.pdhCertExport();
        assertThat(export.chainCertificate(1).encode()).as("the imported OCA").isEqualTo(oca.encode());
        assertThat(export.chainCertificate(0).isSignedBy(oca)).isTrue();
        assertThat(export.chainCertificate(0).isSignedBy(export.chainCertificate(2))).as("CEK signature added").isTrue();
        assertChainVerifies(export);

        assertFirmwareError(() -> platform.pekCertImport(signed.encode(), oca.encode()), "SEV_PEK_CERT_IMPORT",
                FirmwareError.ALREADY_OWNED);
        platform.pekGen();
        assertThat(platform.status().externallyOwned()).as("PEK_GEN makes it self-owned").isFalse();
    }

    @Test
    void importChecksTheCertificates() throws Exception {
        platform.pekGen();
        SevCertificate csr = SevCertificate.parse(platform.pekCsr(), "csr");
        KeyPair owner = p384();
        SevCertificate oca = ocaCertificate(owner);
        KeyPair stranger = p384();
        // Signed by someone other than the OCA.
        SevCertificate badSig = csr.sign(0, SevCertificate.USAGE_OCA, SevCertificate.ALGO_ECDSA_SHA256, stranger.getPrivate());
        assertFirmwareError(() -> platform.pekCertImport(badSig.encode(), oca.encode()), "SEV_PEK_CERT_IMPORT",
                FirmwareError.BAD_SIGNATURE);
        // An OCA that is not self-signed.
        SevCertificate unsignedOca = oca.withEmptySlot(0);
        SevCertificate good = csr.sign(0, SevCertificate.USAGE_OCA, SevCertificate.ALGO_ECDSA_SHA256, owner.getPrivate());
        assertFirmwareError(() -> platform.pekCertImport(good.encode(), unsignedOca.encode()), "SEV_PEK_CERT_IMPORT",
                FirmwareError.BAD_SIGNATURE);
        // A PEK certificate for a key that is not this platform's PEK.
        SevCertificate foreign = SevCertificate.unsigned(SevCertificate.USAGE_PEK, SevCertificate.ALGO_ECDSA_SHA256, 1, 55,
                (ECPublicKey) stranger.getPublic()).sign(0, SevCertificate.USAGE_OCA, SevCertificate.ALGO_ECDSA_SHA256,
                owner.getPrivate());
        assertFirmwareError(() -> platform.pekCertImport(foreign.encode(), oca.encode()), "SEV_PEK_CERT_IMPORT",
                FirmwareError.INVALID_CERTIFICATE);
        // Not a certificate at all, and a PEK offered as the OCA.
        byte[] garbage = new byte[SevCertificate.SIZE];
        assertFirmwareError(() -> platform.pekCertImport(good.encode(), garbage), "SEV_PEK_CERT_IMPORT",
                FirmwareError.INVALID_CERTIFICATE);
        assertFirmwareError(() -> platform.pekCertImport(good.encode(), good.encode()), "SEV_PEK_CERT_IMPORT",
                FirmwareError.INVALID_CERTIFICATE);
        assertFirmwareError(() -> platform.pekCertImport(new byte[16], oca.encode()), "SEV_PEK_CERT_IMPORT",
                FirmwareError.INVALID_LEN);
        assertThat(platform.status().externallyOwned()).isFalse();
        platform.pekCertImport(good.encode(), oca.encode());
        assertThat(platform.status().externallyOwned()).isTrue();
    }

    @Test
    void workingPlatformRefusesKeyChangesButStillExports() {
        platform.pekGen();
        firmware.activateGuest(false);
        assertThat(platform.status().state()).isEqualTo(PlatformState.WORKING);
        assertThat(platform.status().guestCount()).isEqualTo(1);
        assertFirmwareError(platform::pekGen, "SEV_PEK_GEN", FirmwareError.INVALID_PLATFORM_STATE);
        assertFirmwareError(platform::pdhGen, "SEV_PDH_GEN", FirmwareError.INVALID_PLATFORM_STATE);
        byte[] csr = platform.pekCsr();
        assertFirmwareError(() -> platform.pekCertImport(csr, csr), "SEV_PEK_CERT_IMPORT",
                FirmwareError.INVALID_PLATFORM_STATE);
        assertThat(platform.pdhCertExport().pdh()).hasSize(SevCertificate.SIZE);
        assertThat(platform.getId()).hasSize(64);
        // The kernel refuses FACTORY_RESET itself while guests run.
        assertErrno(platform::factoryReset, "SEV_FACTORY_RESET", Errno.EBUSY);

        firmware.deactivateGuest(false);
        assertThat(platform.status().state()).isEqualTo(PlatformState.INIT);
        platform.pekGen();
    }

    @Test
    void factoryResetShutsDownAndForgetsTheOwner() throws Exception {
        platform.pekGen();
        SevCertificate csr = SevCertificate.parse(platform.pekCsr(), "csr");
        KeyPair owner = p384();
        platform.pekCertImport(csr.sign(0, SevCertificate.USAGE_OCA, SevCertificate.ALGO_ECDSA_SHA256, owner.getPrivate())
                .encode(), ocaCertificate(owner).encode());
        byte[] pekBefore = platform.pdhCertExport().chainCertificate(0).encode();

        platform.factoryReset();
        PlatformStatus s = platform.status();
        assertThat(s.state()).isEqualTo(PlatformState.UNINIT);
        assertThat(s.externallyOwned()).isFalse();
        assertThat(platform.pdhCertExport().chainCertificate(0).encode()).isNotEqualTo(pekBefore);
    }

    @Test
    void firmwareRefusesResetAndGenerationOutsideTheirStates() {
        // What the kernel never lets through, seen directly at the firmware.
        firmware.init();
        assertThatThrownBy(firmware::factoryReset).isInstanceOfSatisfying(FirmwareFault.class,
                f -> assertThat(f.status()).isEqualTo(FirmwareError.INVALID_PLATFORM_STATE));
        assertThatThrownBy(firmware::init).isInstanceOfSatisfying(FirmwareFault.class,
                f -> assertThat(f.status()).isEqualTo(FirmwareError.INVALID_PLATFORM_STATE));
        firmware.shutdown();
        assertThatThrownBy(firmware::pekGen).isInstanceOfSatisfying(FirmwareFault.class,
                f -> assertThat(f.status()).isEqualTo(FirmwareError.INVALID_PLATFORM_STATE));
        assertThatThrownBy(firmware::pdhCertExport).isInstanceOfSatisfying(FirmwareFault.class,
                f -> assertThat(f.status()).isEqualTo(FirmwareError.INVALID_PLATFORM_STATE));
        assertThatThrownBy(() -> firmware.deactivateGuest(false)).isInstanceOfSatisfying(FirmwareFault.class,
                f -> assertThat(f.status()).isEqualTo(FirmwareError.INVALID_GUEST));
    }

    @Test
    void readOnlyOpenGetsEpermForCommandsThatChangeThePlatform() {
        DevSevPlatform readOnly = new DevSevPlatform(new SimulatedSevDevice(firmware, false));
        assertThat(readOnly.status().state()).isEqualTo(PlatformState.UNINIT);
        assertThat(readOnly.getId()).isEqualTo(firmware.getId());
        assertErrno(readOnly::pekGen, "SEV_PEK_GEN", Errno.EPERM);
        assertErrno(readOnly::pdhGen, "SEV_PDH_GEN", Errno.EPERM);
        assertErrno(readOnly::factoryReset, "SEV_FACTORY_RESET", Errno.EPERM);
        assertErrno(readOnly::pekCsr, "SEV_PEK_CSR", Errno.EPERM);
        // PDH_CERT_EXPORT needs write access only to initialise the platform.
        assertErrno(readOnly::pdhCertExport, "SEV_PDH_CERT_EXPORT", Errno.EPERM);
        platform.pekGen();
        assertThat(readOnly.pdhCertExport().pdh()).hasSize(SevCertificate.SIZE);
        assertErrno(() -> readOnly.snpSetConfig(new SnpConfig(TcbVersion.milanGenoa(0, 0, 0, 0), false, false)), "SNP_SET_CONFIG",
                Errno.EPERM);
        assertThat(platform.status().state()).isEqualTo(PlatformState.INIT);
    }

    /** sev_ioctl_do_snp_commit has no write check in Linux 6.12, although SNP_COMMIT changes the platform. */
    @Test
    void snpCommitNeedsNoWriteAccess() {
        DevSevPlatform readOnly = new DevSevPlatform(new SimulatedSevDevice(firmware, false));
        readOnly.snpCommit();
        assertThat(firmware.committedTcb()).isEqualTo(SimulatedSevFirmware.installedTcb(Product.MILAN));
        assertThat(readOnly.snpStatus().reportedTcb()).isEqualTo(SimulatedSevFirmware.installedTcb(Product.MILAN));
    }

    /** GET_ID2 on SEV firmware below API 0.16: the kernel's own ENOTSUPP (524), which libc cannot name. */
    @Test
    void getIdOnOldFirmwareNamesTheKernelsEnotsupp() {
        DevSevPlatform old = new DevSevPlatform(PatchedSevDevice.refusing(new SimulatedSevDevice(firmware, true),
                dev.vmm.sev.platform.PlatformCommand.SEV_GET_ID2, Errno.ENOTSUPP));
        assertThatThrownBy(old::getId).isInstanceOfSatisfying(PspException.class, e -> {
            assertThat(e.errno()).isEqualTo(524);
            assertThat(e.getMessage()).startsWith("SEV_GET_ID2: ENOTSUPP (kernel-internal: not supported by this firmware/kernel)");
        });
    }

    @Test
    void getIdIsTheChipsSixtyFourBytes() {
        byte[] id = platform.getId();
        assertThat(id).hasSize(SimulatedSevFirmware.CHIP_ID_SIZE).isEqualTo(firmware.chipId);
        assertThat(SimulatedSevFirmware.manufacture(random).getId()).isNotEqualTo(id);
    }

    @Test
    void snpCommitMakesTheCurrentTcbCommittedAndReported() {
        SnpPlatformStatus before = platform.snpStatus();
        assertThat(before.state()).isEqualTo(1);
        assertThat(before.rmpInitialized()).isTrue();
        assertThat(before.reportedTcb()).isEqualTo(SimulatedSevFirmware.firstCommittedTcb(Product.MILAN));
        assertThat(before.currentTcb()).isEqualTo(SimulatedSevFirmware.installedTcb(Product.MILAN));
        platform.snpCommit();
        SnpPlatformStatus after = platform.snpStatus();
        assertThat(after.reportedTcb()).isEqualTo(before.currentTcb());
        assertThat(firmware.committedTcb()).isEqualTo(before.currentTcb());
    }

    @Test
    void snpSetConfigBoundsTheReportedTcbAndSetsTheMasks() {
        TcbVersion current = platform.snpStatus().currentTcb();
        TcbVersion lower = TcbVersion.milanGenoa(current.bootLoader() - 1, current.tee(), current.snp() - 2, current.microcode());
        platform.snpSetConfig(new SnpConfig(lower, true, false));
        SnpPlatformStatus s = platform.snpStatus();
        assertThat(s.reportedTcb()).isEqualTo(lower);
        assertThat(s.maskChipId()).isTrue();
        assertThat(s.maskChipKey()).isFalse();

        TcbVersion newer = TcbVersion.milanGenoa(current.bootLoader(), current.tee(), current.snp() + 1, current.microcode());
        assertFirmwareError(() -> platform.snpSetConfig(new SnpConfig(newer, false, true)), "SNP_SET_CONFIG",
                FirmwareError.INVALID_PARAM);
        assertThat(platform.snpStatus().reportedTcb()).as("unchanged after the refusal").isEqualTo(lower);
        platform.snpSetConfig(new SnpConfig(current, false, true));
        assertThat(platform.snpStatus().maskChipKey()).isTrue();
        assertThat(platform.snpStatus().maskChipId()).isFalse();
    }

    /** A Turin chip's firmware reads and writes TCBs in the Turin layout: FMC in byte 0, SNP in byte 3. */
    @Test
    void aTurinPlatformSpeaksTheTurinLayout() {
        SimulatedSevFirmware turinChip = SimulatedSevFirmware.manufacture(random, Product.TURIN);
        DevSevPlatform turin = new DevSevPlatform(new SimulatedSevDevice(turinChip, true));
        assertThat(turin.tcbLayout()).isEqualTo(TcbLayout.TURIN);
        assertThat(platform.tcbLayout()).isEqualTo(TcbLayout.MILAN_GENOA);
        SnpPlatformStatus s = turin.snpStatus();
        assertThat(s.currentTcb()).isEqualTo(TcbVersion.turin(1, 1, 1, 4, 81));
        assertThat(s.currentTcb().raw()).isEqualTo(0x5100000004010101L);
        assertThat(s.reportedTcb().layout()).isEqualTo(TcbLayout.TURIN);

        TcbVersion lower = TcbVersion.turin(1, 1, 1, 3, 81);
        assertThat(TcbLayout.MILAN_GENOA.reservedBits(lower.raw())).as("reserved in the Milan layout").isNotZero();
        turin.snpSetConfig(new SnpConfig(lower, false, false));
        assertThat(turin.snpStatus().reportedTcb()).isEqualTo(lower);
        assertThatThrownBy(() -> turin.snpSetConfig(new SnpConfig(TcbVersion.milanGenoa(0, 0, 0, 0), false, false)))
                .isInstanceOf(PlatformException.class).hasMessageContaining("not in this platform's Turin layout");
        assertFirmwareError(() -> turin.snpSetConfig(new SnpConfig(TcbVersion.turin(2, 1, 1, 4, 81), false, false)),
                "SNP_SET_CONFIG", FirmwareError.INVALID_PARAM);
        assertThat(turin.snpStatus().reportedTcb()).isEqualTo(lower);
    }

    @Test
    void vlekLoadAcceptsOnlyAHashstickWrappedForThisChip() {
        SimulatedSevFirmware otherChip = SimulatedSevFirmware.manufacture(random);
        TcbVersion tcb = platform.snpStatus().reportedTcb();
        assertFirmwareError(() -> platform.vlekLoad(SimulatedVlekWrap.wrapFor(otherChip, tcb, random)), "SNP_VLEK_LOAD",
                FirmwareError.INVALID_KEY);
        byte[] mine = SimulatedVlekWrap.wrapFor(firmware, tcb, random);
        byte[] tampered = mine.clone();
        tampered[0x30] ^= 1;
        assertFirmwareError(() -> platform.vlekLoad(tampered), "SNP_VLEK_LOAD", FirmwareError.INVALID_KEY);
        assertErrno(() -> platform.vlekLoad(new byte[100]), "SNP_VLEK_LOAD", Errno.EINVAL);
        assertThat(platform.snpStatus().vlekEnabled()).isFalse();
        platform.vlekLoad(mine);
        assertThat(platform.snpStatus().vlekEnabled()).isTrue();
    }

    /** Linux 6.12 without the 2025 buffer length fix: EINVAL from __sev_do_cmd_locked, the firmware never asked. */
    @Test
    void vlekLoadEinvalOnAKernelWithoutTheLengthFixSaysSo() {
        DevSevPlatform unfixed = new DevSevPlatform(new SimulatedSevDevice(firmware, true, false));
        byte[] mine = SimulatedVlekWrap.wrapFor(firmware, unfixed.snpStatus().reportedTcb(), random);
        assertThatThrownBy(() -> unfixed.vlekLoad(mine)).isInstanceOfSatisfying(PspException.class, e -> {
            assertThat(e.errno()).isEqualTo(Errno.EINVAL);
            assertThat(e.firmwareError()).isZero();
            assertThat(e.getMessage()).startsWith("SNP_VLEK_LOAD: EINVAL")
                    .contains("SNP is initialised (SNP_PLATFORM_STATUS answers)")
                    .contains("crypto: ccp - Fix checks for SNP_VLEK_LOAD input buffer length")
                    .contains("WARNING in __sev_do_cmd_locked");
        });
        assertThat(firmware.vlekLoaded).isFalse();
        platform.vlekLoad(mine);
        assertThat(firmware.vlekLoaded).as("the same hashstick through a fixed kernel").isTrue();
    }

    @Test
    void vlekLoadEinvalBeforeSnpInitNamesThatCause() {
        firmware.snpInitialized = false;
        byte[] mine = SimulatedVlekWrap.wrapFor(firmware, firmware.reportedTcb, random);
        assertThatThrownBy(() -> platform.vlekLoad(mine)).isInstanceOfSatisfying(PspException.class, e -> {
            assertThat(e.errno()).isEqualTo(Errno.EINVAL);
            assertThat(e.getMessage()).contains("SNP is not initialised").doesNotContain("__sev_do_cmd_locked");
        });
    }

    @Test
    void snpCommandsBeforeSnpInitAreEinvalFromTheKernel() {
        firmware.snpInitialized = false;
        assertErrno(platform::snpStatus, "SNP_PLATFORM_STATUS", Errno.EINVAL);
        assertErrno(platform::snpCommit, "SNP_COMMIT", Errno.EINVAL);
        assertErrno(() -> platform.snpSetConfig(new SnpConfig(TcbVersion.milanGenoa(0, 0, 0, 0), false, false)), "SNP_SET_CONFIG",
                Errno.EINVAL);
        assertThat(firmware.committedTcb()).isEqualTo(SimulatedSevFirmware.firstCommittedTcb(Product.MILAN));
    }

    @Test
    void guestCountsFollowActivation() {
        platform.pekGen();
        firmware.activateGuest(false);
        firmware.activateGuest(false);
        firmware.activateGuest(true);
        assertThat(platform.status().guestCount()).isEqualTo(2);
        assertThat(platform.snpStatus().guestCount()).isEqualTo(1);
        firmware.deactivateGuest(false);
        assertThat(platform.status().state()).isEqualTo(PlatformState.WORKING);
        firmware.deactivateGuest(false);
        assertThat(platform.status().state()).isEqualTo(PlatformState.INIT);
    }

    private PdhCertExport exportAfterInit() {
        return platform.pdhCertExport();
    }

    private static void assertChainVerifies(PdhCertExport export) {
        SevCertificate pek = export.chainCertificate(0);
        SevCertificate oca = export.chainCertificate(1);
        SevCertificate cek = export.chainCertificate(2);
        assertThat(export.pdhCertificate().isSignedBy(pek)).as("PDH signed by PEK").isTrue();
        assertThat(pek.isSignedBy(oca)).as("PEK signed by OCA").isTrue();
        assertThat(pek.isSignedBy(cek)).as("PEK signed by CEK").isTrue();
        assertThat(oca.isSignedBy(oca)).as("OCA self-signed").isTrue();
        assertThat(export.pdhCertificate().isSignedBy(oca)).as("PDH not signed by OCA").isFalse();
    }

    static KeyPair p384() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp384r1"));
        return g.generateKeyPair();
    }

    static SevCertificate ocaCertificate(KeyPair owner) {
        return SevCertificate.unsigned(SevCertificate.USAGE_OCA, SevCertificate.ALGO_ECDSA_SHA256, 1, 55,
                (ECPublicKey) owner.getPublic()).sign(0, SevCertificate.USAGE_OCA, SevCertificate.ALGO_ECDSA_SHA256,
                owner.getPrivate());
    }
}
