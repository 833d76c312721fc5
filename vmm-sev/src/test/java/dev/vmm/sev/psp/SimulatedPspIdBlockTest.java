package dev.vmm.sev.psp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmm.memory.GuestAddress;
import dev.vmm.memory.GuestMemory;
import dev.vmm.memory.GuestMemoryBuilder;
import dev.vmm.memory.MemoryAttributes;
import dev.vmm.memory.RegionKind;
import dev.vmm.sev.SevMode;
import dev.vmm.sev.crypto.AmdEcdsaPublicKey;
import dev.vmm.sev.idblock.IdAuthInfo;
import dev.vmm.sev.idblock.IdBlock;
import dev.vmm.sev.idblock.IdBlockSigner;
import dev.vmm.sev.measure.PageType;
import dev.vmm.sev.measure.SnpLaunchDigest;
import dev.vmm.sev.vmsa.ConfidentialResetState;
import dev.vmm.sev.vmsa.LaunchVcpuState;
import dev.vmm.sev.vmsa.Vmsa;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * SNP_LAUNCH_FINISH with an ID block, as the simulated firmware checks it: a block signed for this
 * launch is accepted; a wrong digest, policy, signature or author key is refused with the firmware's
 * status (SIMULATED: the codes are the SNP ABI's, no real PSP ran).
 */
class SimulatedPspIdBlockTest {
    static final KeyPair ID_KEY = p384();
    static final KeyPair AUTHOR_KEY = p384();
    private static final long POLICY = 0x30000;
    private static final LaunchVcpuState BSP = ConfidentialResetState.forVcpu(0, 0x00a00f11, 0);
    private static final String FINISH = "KVM_SEV_SNP_LAUNCH_FINISH";

    private final GuestMemory memory = new GuestMemoryBuilder().add("ram", 0, 1 << 20, RegionKind.RAM).build();
    private final MemoryAttributes attributes = new MemoryAttributes((gpa, size, p) -> { });

    @AfterEach
    void close() {
        memory.close();
    }

    @Test
    void aBlockSignedForThisLaunchIsAccepted() {
        SimulatedPsp psp = launchToFinish();
        IdBlockSigner.Signed id = IdBlockSigner.sign(block(expectedDigest(), POLICY), ID_KEY, AUTHOR_KEY);
        psp.snpLaunchFinish(List.of(BSP), id.idBlock(), id.idAuth(), true, new byte[32]);
        assertThat(psp.guestStatus().state()).as("RUNNING").isEqualTo(3);
        assertThat(psp.launchDigest()).isEqualTo(expectedDigest());
        assertThat(psp.description()).contains("SIMULATED");
    }

    @Test
    void withoutAuthorKeyTheAuthorFieldsAreNotLookedAt() {
        SimulatedPsp psp = launchToFinish();
        IdBlockSigner.Signed id = IdBlockSigner.sign(block(expectedDigest(), POLICY), ID_KEY, null);
        psp.snpLaunchFinish(List.of(BSP), id.idBlock(), id.idAuth(), false, null);
        assertThat(psp.guestStatus().state()).isEqualTo(3);

        // The same ID auth with AUTH_KEY_EN: no author algorithm or key there.
        refused(id.idBlock(), id.idAuth(), true, FirmwareError.INVALID_PARAM, "AUTH_KEY_ALGO");
    }

    @Test
    void aWrongDigestIsBadMeasurement() {
        byte[] ld = expectedDigest();
        ld[47] ^= 1;
        IdBlockSigner.Signed id = IdBlockSigner.sign(block(ld, POLICY), ID_KEY, AUTHOR_KEY);
        refused(id.idBlock(), id.idAuth(), true, FirmwareError.BAD_MEASUREMENT, "is not the launch digest");
    }

    @Test
    void aWrongPolicyIsPolicyFailure() {
        IdBlockSigner.Signed id = IdBlockSigner.sign(block(expectedDigest(), POLICY | 0x1f), ID_KEY, AUTHOR_KEY);
        refused(id.idBlock(), id.idAuth(), true, FirmwareError.POLICY_FAILURE,
                "ID block policy 0x3001f, guest policy 0x30000");
    }

    @Test
    void aTamperedSignatureOrBlockIsBadSignature() {
        IdBlockSigner.Signed id = IdBlockSigner.sign(block(expectedDigest(), POLICY), ID_KEY, AUTHOR_KEY);
        byte[] sig = id.idAuth().clone();
        sig[IdAuthInfo.ID_BLOCK_SIG + 5] ^= 0x10;
        refused(id.idBlock(), sig, true, FirmwareError.BAD_SIGNATURE, "ID_AUTH_INFO.ID_BLOCK_SIG");

        byte[] svn = id.idBlock().clone();
        svn[0x54] = 9;   // GUEST_SVN changed after signing
        refused(svn, id.idAuth(), true, FirmwareError.BAD_SIGNATURE, "ID_AUTH_INFO.ID_BLOCK_SIG");

        // An ID block signed by another key than the ID_KEY the auth names.
        IdBlockSigner.Signed other = IdBlockSigner.sign(block(expectedDigest(), POLICY), AUTHOR_KEY, AUTHOR_KEY);
        byte[] mixed = id.idAuth().clone();
        System.arraycopy(other.idAuth(), IdAuthInfo.ID_BLOCK_SIG, mixed, IdAuthInfo.ID_BLOCK_SIG, 0x200);
        refused(id.idBlock(), mixed, true, FirmwareError.BAD_SIGNATURE, "ID_AUTH_INFO.ID_BLOCK_SIG");
    }

    @Test
    void aWrongAuthorKeyIsBadSignature() {
        IdBlockSigner.Signed id = IdBlockSigner.sign(block(expectedDigest(), POLICY), ID_KEY, AUTHOR_KEY);
        byte[] swapped = id.idAuth().clone();
        byte[] stranger = AmdEcdsaPublicKey.of((ECPublicKey) p384().getPublic()).toBytes();
        System.arraycopy(stranger, 0, swapped, IdAuthInfo.AUTHOR_KEY, stranger.length);
        refused(id.idBlock(), swapped, true, FirmwareError.BAD_SIGNATURE, "ID_AUTH_INFO.ID_KEY_SIG");

        byte[] keySig = id.idAuth().clone();
        keySig[IdAuthInfo.ID_KEY_SIG] ^= 1;
        refused(id.idBlock(), keySig, true, FirmwareError.BAD_SIGNATURE, "ID_AUTH_INFO.ID_KEY_SIG");
    }

    @Test
    void unknownAlgorithmCurveOrVersionIsInvalidParam() {
        IdBlockSigner.Signed id = IdBlockSigner.sign(block(expectedDigest(), POLICY), ID_KEY, AUTHOR_KEY);
        byte[] algo = id.idAuth().clone();
        algo[IdAuthInfo.ID_KEY_ALGO] = 2;
        refused(id.idBlock(), algo, true, FirmwareError.INVALID_PARAM, "ID_AUTH_INFO.ID_KEY_ALGO (offset 0x0) is 2");

        byte[] curve = id.idAuth().clone();
        curve[IdAuthInfo.AUTHOR_KEY] = 1;
        refused(id.idBlock(), curve, true, FirmwareError.INVALID_PARAM, "ID_AUTH_INFO.AUTHOR_KEY at 0x880: CURVE");

        IdBlock v2 = new IdBlock(expectedDigest(), new byte[16], new byte[16], 2, 0, POLICY);
        IdBlockSigner.Signed signedV2 = IdBlockSigner.sign(v2, ID_KEY, AUTHOR_KEY);
        refused(signedV2.idBlock(), signedV2.idAuth(), true, FirmwareError.INVALID_PARAM, "ID block: VERSION");
    }

    @Test
    void wrongSizesAreRefusedBeforeTheFirmware() {
        SimulatedPsp psp = launchToFinish();
        assertThatThrownBy(() -> psp.snpLaunchFinish(List.of(BSP), new byte[96], new byte[4095], false, null))
                .isInstanceOfSatisfying(PspException.class, e -> assertThat(e.firmwareError()).isZero());
    }

    private void refused(byte[] idBlock, byte[] idAuth, boolean authorKey, FirmwareError error, String detail) {
        SimulatedPsp psp = launchToFinish();
        assertThatThrownBy(() -> psp.snpLaunchFinish(List.of(BSP), idBlock, idAuth, authorKey, null))
                .isInstanceOfSatisfying(PspException.class, e -> {
                    assertThat(e.command()).isEqualTo(FINISH);
                    assertThat(e.firmwareError()).as(e.getMessage()).isEqualTo(error.code());
                    assertThat(e.getMessage()).contains("EIO").contains(error.name()).contains(detail);
                });
        assertThat(psp.guestStatus().state()).as("still launching").isEqualTo(1);
    }

    /** A launch with one page imported, ready for SNP_LAUNCH_FINISH. */
    private SimulatedPsp launchToFinish() {
        SimulatedPsp psp = new SimulatedPsp(memory, attributes);
        psp.init(SevMode.SEV_SNP, 0);
        psp.snpLaunchStart(POLICY, null);
        attributes.setPrivate(0x1000, 0x1000, true);
        psp.snpLaunchUpdate(0x1000, memory.slice(GuestAddress.of(0x1000), 4096), 4096, PageType.NORMAL);
        return psp;
    }

    /** The digest {@link #launchToFinish} reaches once the BSP's VMSA is measured. */
    private byte[] expectedDigest() {
        SnpLaunchDigest d = new SnpLaunchDigest();
        d.update(PageType.NORMAL, 0x1000, memory.read(GuestAddress.of(0x1000), 4096), 0);
        d.update(PageType.VMSA, SnpLaunchDigest.VMSA_GPA, Vmsa.build(BSP, 1, true), 0);
        return d.digest();
    }

    private static IdBlock block(byte[] ld, long policy) {
        byte[] family = new byte[16];
        family[0] = 1;
        return new IdBlock(ld, family, new byte[16], IdBlock.VERSION_1, 2, policy);
    }

    static KeyPair p384() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp384r1"));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
