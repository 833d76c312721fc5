package dev.vmm.sev.platform.sim;

import static dev.vmm.sev.platform.SevCertificate.ALGO_ECDH_SHA256;
import static dev.vmm.sev.platform.SevCertificate.ALGO_ECDSA_SHA256;
import static dev.vmm.sev.platform.SevCertificate.USAGE_CEK;
import static dev.vmm.sev.platform.SevCertificate.USAGE_OCA;
import static dev.vmm.sev.platform.SevCertificate.USAGE_PDH;
import static dev.vmm.sev.platform.SevCertificate.USAGE_PEK;

import dev.vmm.sev.attest.Product;
import dev.vmm.sev.platform.PdhCertExport;
import dev.vmm.sev.platform.PlatformState;
import dev.vmm.sev.platform.PlatformStatus;
import dev.vmm.sev.platform.SevCertificate;
import dev.vmm.sev.platform.SevCertificateException;
import dev.vmm.sev.platform.SnpPlatformStatus;
import dev.vmm.sev.psp.FirmwareError;
import dev.vmm.sev.tcb.TcbLayout;
import dev.vmm.sev.tcb.TcbVersion;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * SIMULATED: a model of the SEV firmware's platform management for hosts without an AMD Secure
 * Processor. Keys are real P-384 keys from the JDK, certificates are in the SEV format and really
 * signed, but the chip secret, the CEK and the chip ID are random numbers kept in a state file: no AMD
 * key vouches for any of it (the CEK certificate's slots stay empty where AMD's ASK would sign).
 *
 * <p>Platform state machine (SEV API, "Platform Management"): UNINIT --INIT--> INIT --first guest-->
 * WORKING --last guest gone--> INIT; SHUTDOWN returns to UNINIT from anywhere. Allowed per state:
 * UNINIT: FACTORY_RESET (PLATFORM_RESET), PLATFORM_STATUS, GET_ID, INIT; INIT: PEK_GEN, PEK_CSR, PDH_GEN,
 * PDH_CERT_EXPORT, PEK_CERT_IMPORT, PLATFORM_STATUS, GET_ID, SHUTDOWN; WORKING: PEK_CSR, PDH_CERT_EXPORT,
 * PLATFORM_STATUS, GET_ID, SHUTDOWN. Anything else: INVALID_PLATFORM_STATE.
 *
 * <p>Guests: {@link #activateGuest}/{@link #deactivateGuest} stand for the ACTIVATE/DECOMMISSION that
 * KVM issues for each guest; the per-VM {@code SimulatedPsp} does not report to this model, so the
 * guest count here is the model's own.
 *
 * <p>It declares the CPU generation it stands for ({@link Product}, Milan unless manufactured as
 * another), and its TCB values are in that generation's layout, as a real chip's are.
 */
public final class SimulatedSevFirmware {
    /** The simulated firmware: API 1.55, build 21 (as SimulatedPsp reports). */
    public static final int API_MAJOR = 1;
    public static final int API_MINOR = 55;
    public static final int BUILD = 21;
    public static final int CHIP_ID_SIZE = 64;
    private final SecureRandom random;
    private final Product product;
    // Fused (persisted) chip identity.
    byte[] chipId;
    byte[] chipSecret;
    KeyPair cek;
    // Owner and platform keys (the SEV non-volatile storage).
    KeyPair oca;                 // null when an external owner's OCA was imported
    SevCertificate ocaCert;
    KeyPair pek;
    SevCertificate pekCert;
    KeyPair pdh;
    SevCertificate pdhCert;
    boolean externallyOwned;
    // Volatile platform state.
    PlatformState state = PlatformState.UNINIT;
    int sevGuests;
    boolean snpInitialized = true;
    int snpGuests;
    // SNP TCB and configuration.
    TcbVersion currentTcb;
    TcbVersion committedTcb;
    TcbVersion reportedTcb;
    boolean maskChipId;
    boolean maskChipKey;
    boolean vlekLoaded;

    SimulatedSevFirmware(SecureRandom random, Product product) {
        this.random = random;
        this.product = product;
        currentTcb = installedTcb(product);
        committedTcb = firstCommittedTcb(product);
        reportedTcb = committedTcb;
    }

    /** SIMULATED: the TCB of the firmware a new chip of {@code product} runs, in its generation's layout. */
    static TcbVersion installedTcb(Product product) {
        return product.tcbLayout() == TcbLayout.TURIN ? TcbVersion.turin(1, 1, 1, 4, 81) : TcbVersion.milanGenoa(4, 0, 22, 213);
    }

    /** SIMULATED: the TCB a new chip of {@code product} has committed, below {@link #installedTcb}. */
    static TcbVersion firstCommittedTcb(Product product) {
        return product.tcbLayout() == TcbLayout.TURIN ? TcbVersion.turin(1, 1, 1, 3, 72) : TcbVersion.milanGenoa(3, 0, 8, 115);
    }

    /** A new simulated Milan chip. */
    public static SimulatedSevFirmware manufacture(SecureRandom random) {
        return manufacture(random, Product.MILAN);
    }

    /** A new simulated chip of {@code product}: fresh chip ID and secret, CEK, and a self-owned OCA, PEK and PDH. */
    public static SimulatedSevFirmware manufacture(SecureRandom random, Product product) {
        SimulatedSevFirmware fw = new SimulatedSevFirmware(random, product);
        fw.chipId = new byte[CHIP_ID_SIZE];
        random.nextBytes(fw.chipId);
        fw.chipSecret = new byte[32];
        random.nextBytes(fw.chipSecret);
        fw.cek = SimulatedKeys.p384(random);
        fw.selfOwn();
        return fw;
    }

    // SEV platform commands.

    public PlatformStatus platformStatus() {
        int flags = (externallyOwned ? PlatformStatus.FLAG_OWNER : 0)
                | (state != PlatformState.UNINIT ? dev.vmm.sev.platform.PlatformLayouts.STATUS_FLAGS_CONFIG_ES : 0);
        return new PlatformStatus(API_MAJOR, API_MINOR, state, flags, BUILD, sevGuests);
    }

    public void init() {
        require("INIT", PlatformState.UNINIT);
        state = PlatformState.INIT;
    }

    /** SHUTDOWN: allowed in every state; guests the firmware still had are gone. */
    public void shutdown() {
        state = PlatformState.UNINIT;
        sevGuests = 0;
    }

    /** PLATFORM_RESET (the kernel's FACTORY_RESET): forgets the owner and makes new platform keys. */
    public void factoryReset() {
        require("FACTORY_RESET", PlatformState.UNINIT);
        selfOwn();
    }

    /** A new OCA (the platform owns itself again), PEK and PDH. */
    public void pekGen() {
        require("PEK_GEN", PlatformState.INIT);
        selfOwn();
    }

    public void pdhGen() {
        require("PDH_GEN", PlatformState.INIT);
        newPdh();
    }

    /** The PEK certificate with both signature slots empty. */
    public SevCertificate pekCsr() {
        require("PEK_CSR", PlatformState.INIT, PlatformState.WORKING);
        return SevCertificate.unsigned(USAGE_PEK, ALGO_ECDSA_SHA256, API_MAJOR, API_MINOR, (ECPublicKey) pek.getPublic());
    }

    public PdhCertExport pdhCertExport() {
        require("PDH_CERT_EXPORT", PlatformState.INIT, PlatformState.WORKING);
        byte[] chain = new byte[3 * SevCertificate.SIZE];
        System.arraycopy(pekCert.encode(), 0, chain, 0, SevCertificate.SIZE);
        System.arraycopy(ocaCert.encode(), 0, chain, SevCertificate.SIZE, SevCertificate.SIZE);
        System.arraycopy(cekCertificate().encode(), 0, chain, 2 * SevCertificate.SIZE, SevCertificate.SIZE);
        return new PdhCertExport(pdhCert.encode(), chain);
    }

    /**
     * Takes an external owner: the OCA must be a self-signed ECDSA OCA certificate, the PEK certificate
     * must carry this platform's PEK and the OCA's signature. The firmware then adds the CEK's.
     */
    public void pekCertImport(byte[] pekBytes, byte[] ocaBytes) {
        require("PEK_CERT_IMPORT", PlatformState.INIT);
        if (externallyOwned) {
            throw new FirmwareFault(FirmwareError.ALREADY_OWNED, "an OCA was already imported; PEK_GEN makes the platform self-owned again");
        }
        if (pekBytes.length != SevCertificate.SIZE || ocaBytes.length != SevCertificate.SIZE) {
            throw new FirmwareFault(FirmwareError.INVALID_LEN, "certificates are 0x824 bytes");
        }
        SevCertificate ocaIn = certificate(ocaBytes, "OCA");
        SevCertificate pekIn = certificate(pekBytes, "PEK");
        try {
            if (ocaIn.pubkeyUsage() != USAGE_OCA || ocaIn.pubkeyAlgo() != ALGO_ECDSA_SHA256) {
                throw new FirmwareFault(FirmwareError.INVALID_CERTIFICATE, "the OCA certificate is " + ocaIn);
            }
            if (pekIn.pubkeyUsage() != USAGE_PEK || !samePoint(pekIn.publicKey(), (ECPublicKey) pek.getPublic())) {
                throw new FirmwareFault(FirmwareError.INVALID_CERTIFICATE, "the PEK certificate does not hold this platform's PEK");
            }
            if (!ocaIn.isSignedBy(ocaIn)) {
                throw new FirmwareFault(FirmwareError.BAD_SIGNATURE, "the OCA certificate is not self-signed");
            }
            if (!pekIn.isSignedBy(ocaIn)) {
                throw new FirmwareFault(FirmwareError.BAD_SIGNATURE, "the PEK certificate is not signed by the OCA");
            }
        } catch (SevCertificateException e) {
            throw new FirmwareFault(FirmwareError.INVALID_CERTIFICATE, e.getMessage());
        }
        int ocaSlot = pekIn.signature(0).usage() == USAGE_OCA && !pekIn.signature(0).isEmpty() ? 0 : 1;
        pekCert = pekIn.sign(1 - ocaSlot, USAGE_CEK, ALGO_ECDSA_SHA256, cek.getPrivate());
        ocaCert = ocaIn;
        oca = null;
        externallyOwned = true;
    }

    public byte[] getId() {
        return chipId.clone();
    }

    /** Whether the kernel ran SNP_INIT (the ccp driver does at probe when the host allows): false models a host where it did not. */
    public void snpInitialized(boolean initialized) {
        snpInitialized = initialized;
    }

    /** The CPU generation this chip stands for, which fixes its TCB layout. */
    public Product product() {
        return product;
    }

    // SNP platform commands.

    public SnpPlatformStatus snpPlatformStatus() {
        return new SnpPlatformStatus(API_MAJOR, API_MINOR, snpInitialized ? 1 : 0, snpInitialized, BUILD, maskChipId,
                maskChipKey, vlekLoaded, snpGuests, currentTcb, reportedTcb);
    }

    /** No rollback below the running firmware from now on; guests are then told its TCB. */
    public void snpCommit() {
        requireSnp("SNP_COMMIT");
        committedTcb = currentTcb;
        reportedTcb = currentTcb;
    }

    /**
     * SNP_CONFIG: the TCB to put in attestation reports (not above the current one, so that a host can
     * hold back but never claim a newer firmware) and whether reports hide the chip ID or go unsigned.
     */
    public void snpConfig(long reportedTcbRaw, boolean maskChipId, boolean maskChipKey, boolean reservedSet) {
        requireSnp("SNP_CONFIG");
        TcbLayout layout = product.tcbLayout();
        if (reservedSet || layout.reservedBits(reportedTcbRaw) != 0) {
            throw new FirmwareFault(FirmwareError.INVALID_PARAM, "reserved fields must be zero");
        }
        TcbVersion reported = TcbVersion.of(reportedTcbRaw, layout);
        if (!reported.notAbove(currentTcb)) {
            throw new FirmwareFault(FirmwareError.INVALID_PARAM,
                    "reported TCB " + reported.describe() + " exceeds the current TCB " + currentTcb.describe());
        }
        reportedTcb = reported;
        this.maskChipId = maskChipId;
        this.maskChipKey = maskChipKey;
    }

    /** Unwraps a hashstick made for this chip ({@link SimulatedVlekWrap}); INVALID_KEY when it is not. */
    public void vlekLoad(byte[] hashstick) {
        requireSnp("SNP_VLEK_LOAD");
        if (SimulatedVlekWrap.unwrap(vlekWrappingKey(), hashstick) == null) {
            throw new FirmwareFault(FirmwareError.INVALID_KEY, "the hashstick was not wrapped for this chip");
        }
        vlekLoaded = true;
    }

    // Guests (what KVM's ACTIVATE/DECOMMISSION would do to the counts).

    public void activateGuest(boolean snp) {
        if (snp) {
            requireSnp("SNP_ACTIVATE");
            snpGuests++;
            return;
        }
        require("ACTIVATE", PlatformState.INIT, PlatformState.WORKING);
        sevGuests++;
        state = PlatformState.WORKING;
    }

    public void deactivateGuest(boolean snp) {
        if (snp) {
            if (snpGuests == 0) {
                throw new FirmwareFault(FirmwareError.INVALID_GUEST, "no SNP guest is active");
            }
            snpGuests--;
            return;
        }
        if (sevGuests == 0) {
            throw new FirmwareFault(FirmwareError.INVALID_GUEST, "no SEV guest is active");
        }
        if (--sevGuests == 0) {
            state = PlatformState.INIT;
        }
    }

    public PlatformState state() {
        return state;
    }

    public TcbVersion committedTcb() {
        return committedTcb;
    }

    /** The certificate of this chip's CEK; SIMULATED: nothing of AMD's signs it. */
    public SevCertificate cekCertificate() {
        return SevCertificate.unsigned(USAGE_CEK, ALGO_ECDSA_SHA256, API_MAJOR, API_MINOR, (ECPublicKey) cek.getPublic());
    }

    /** The key a simulated key distribution service wraps VLEKs for this chip with. */
    byte[] vlekWrappingKey() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(chipSecret, "HmacSHA256"));
            return mac.doFinal("simulated VLEK wrapping key".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private void selfOwn() {
        oca = SimulatedKeys.p384(random);
        ocaCert = SevCertificate.unsigned(USAGE_OCA, ALGO_ECDSA_SHA256, API_MAJOR, API_MINOR, (ECPublicKey) oca.getPublic())
                .sign(0, USAGE_OCA, ALGO_ECDSA_SHA256, oca.getPrivate());
        externallyOwned = false;
        pek = SimulatedKeys.p384(random);
        pekCert = SevCertificate.unsigned(USAGE_PEK, ALGO_ECDSA_SHA256, API_MAJOR, API_MINOR, (ECPublicKey) pek.getPublic())
                .sign(0, USAGE_OCA, ALGO_ECDSA_SHA256, oca.getPrivate())
                .sign(1, USAGE_CEK, ALGO_ECDSA_SHA256, cek.getPrivate());
        newPdh();
    }

    private void newPdh() {
        pdh = SimulatedKeys.p384(random);
        pdhCert = SevCertificate.unsigned(USAGE_PDH, ALGO_ECDH_SHA256, API_MAJOR, API_MINOR, (ECPublicKey) pdh.getPublic())
                .sign(0, USAGE_PEK, ALGO_ECDSA_SHA256, pek.getPrivate());
    }

    private void require(String command, PlatformState... allowed) {
        for (PlatformState s : allowed) {
            if (state == s) {
                return;
            }
        }
        throw new FirmwareFault(FirmwareError.INVALID_PLATFORM_STATE, command + " in state " + state + ", needs "
                + Arrays.toString(allowed));
    }

    private void requireSnp(String command) {
        if (!snpInitialized) {
            throw new FirmwareFault(FirmwareError.INVALID_PLATFORM_STATE, command + " before SNP_INIT");
        }
    }

    private static SevCertificate certificate(byte[] bytes, String what) {
        try {
            return SevCertificate.parse(bytes, what + " certificate");
        } catch (SevCertificateException e) {
            throw new FirmwareFault(FirmwareError.INVALID_CERTIFICATE, e.getMessage());
        }
    }

    private static boolean samePoint(ECPublicKey a, ECPublicKey b) {
        return a.getW().equals(b.getW());
    }

    static long u64(byte[] b, int at) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong(at);
    }

    static Cipher gcm(int mode, byte[] key, byte[] iv) throws GeneralSecurityException {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, iv));
        return c;
    }
}
