package dev.vmm.sev.psp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmm.core.kvm.CpuidEntry;
import dev.vmm.memory.GuestAddress;
import dev.vmm.memory.GuestMemory;
import dev.vmm.memory.GuestMemoryBuilder;
import dev.vmm.memory.MemoryAttributes;
import dev.vmm.memory.RegionKind;
import dev.vmm.sev.SevMode;
import dev.vmm.sev.cpuid.SnpCpuidTable;
import dev.vmm.sev.idblock.IdBlock;
import dev.vmm.sev.idblock.IdBlockSigner;
import dev.vmm.sev.measure.PageType;
import dev.vmm.sev.measure.SnpLaunchDigest;
import dev.vmm.sev.vmsa.ConfidentialResetState;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The simulated firmware's rules: order, policy, page states, the CPUID check, and its digests. */
class SimulatedPspTest {
    private final GuestMemory memory = new GuestMemoryBuilder().add("ram", 0, 1 << 20, RegionKind.RAM).build();
    private final MemoryAttributes attributes = new MemoryAttributes((gpa, size, p) -> { });
    private final SimulatedPsp psp = new SimulatedPsp(memory, attributes);

    @AfterEach
    void close() {
        memory.close();
    }

    private static void assertError(Runnable call, String command, String errno, FirmwareError fw) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(PspException.class, e -> {
            assertThat(e.command()).isEqualTo(command);
            assertThat(e.getMessage()).contains(": " + errno + " (");
            assertThat(e.firmwareError()).isEqualTo(fw == null ? 0 : fw.code());
        });
    }

    @Test
    void commandsBeforeInitAreRefusedByKvm() {
        assertError(() -> psp.launchStart(1, null, null), "KVM_SEV_LAUNCH_START", "ENOTTY", null);
        assertError(() -> psp.snpLaunchStart(0x30000, null), "KVM_SEV_SNP_LAUNCH_START", "ENOTTY", null);
    }

    @Test
    void sevCommandsOutOfOrderAreRefusedByTheFirmware() {
        psp.init(SevMode.SEV, 0);
        assertError(() -> psp.launchUpdateData(0, memory.slice(GuestAddress.of(0), 4096)), "KVM_SEV_LAUNCH_UPDATE_DATA", "EIO",
                FirmwareError.INVALID_GUEST);
        psp.launchStart(0x1, null, null);
        assertError(psp::launchFinish, "KVM_SEV_LAUNCH_FINISH", "EIO", FirmwareError.INVALID_GUEST_STATE);
        assertError(() -> psp.launchStart(0x1, null, null), "KVM_SEV_LAUNCH_START", "EIO", FirmwareError.INVALID_GUEST_STATE);
        psp.launchUpdateData(0, memory.slice(GuestAddress.of(0), 4096));
        assertThat(psp.launchMeasure()).hasSize(48);
        assertError(() -> psp.launchUpdateData(0, memory.slice(GuestAddress.of(0), 4096)), "KVM_SEV_LAUNCH_UPDATE_DATA", "EIO",
                FirmwareError.INVALID_GUEST_STATE);
        psp.launchFinish();
        assertThat(psp.guestStatus()).isEqualTo(new Psp.GuestStatus(1, 0x1, 3));
    }

    @Test
    void badPoliciesAreRefused() {
        psp.init(SevMode.SEV_ES, 0);
        assertError(() -> psp.launchStart(0x1, null, null), "KVM_SEV_LAUNCH_START", "EIO", FirmwareError.POLICY_FAILURE);
        assertError(() -> psp.launchStart(0x5 | 0x100, null, null), "KVM_SEV_LAUNCH_START", "EIO",
                FirmwareError.POLICY_FAILURE);
        psp.launchStart(0x5, null, null);

        SimulatedPsp snp = new SimulatedPsp(memory, attributes);
        snp.init(SevMode.SEV_SNP, 0);
        assertError(() -> snp.snpLaunchStart(0x10000, null), "KVM_SEV_SNP_LAUNCH_START", "EINVAL", null);   // bit 17
        assertError(() -> snp.snpLaunchStart(0x30000 | 1L << 18, null), "KVM_SEV_SNP_LAUNCH_START", "EINVAL", null);
        assertError(() -> snp.snpLaunchStart(0x20000, null), "KVM_SEV_SNP_LAUNCH_START", "EINVAL", null);  // no SMT
        assertError(() -> snp.snpLaunchStart(0x30000 | 1L << 20, null), "KVM_SEV_SNP_LAUNCH_START", "EINVAL", null);
        assertError(() -> snp.snpLaunchStart(0x30000 | 2 << 8, null), "KVM_SEV_SNP_LAUNCH_START", "EIO",
                FirmwareError.POLICY_FAILURE);   // ABI 2.0
        snp.snpLaunchStart(0x30000, new byte[16]);
    }

    @Test
    void initChecksFeaturesAndOnlyHappensOnce() {
        assertError(() -> psp.init(SevMode.SEV_SNP, 1), "KVM_SEV_INIT2", "EINVAL", null);
        assertError(() -> psp.init(SevMode.SEV_ES, 1L << 9), "KVM_SEV_INIT2", "EINVAL", null);
        psp.init(SevMode.SEV_SNP, 0);
        assertError(() -> psp.init(SevMode.SEV_SNP, 0), "KVM_SEV_INIT2", "EINVAL", null);
        assertError(() -> psp.launchStart(1, null, null), "KVM_SEV_LAUNCH_START", "EPERM", null);
    }

    @Test
    void snpPagesMustBePrivateAndImportedOnce() {
        psp.init(SevMode.SEV_SNP, 0);
        psp.snpLaunchStart(0x30000, null);
        assertError(() -> psp.snpLaunchUpdate(0x1000, memory.slice(GuestAddress.of(0x1000), 4096), 4096, PageType.NORMAL),
                "KVM_SEV_SNP_LAUNCH_UPDATE", "EIO", null);
        attributes.setPrivate(0x1000, 0x2000, true);
        assertError(() -> psp.snpLaunchUpdate(0x1000, memory.slice(GuestAddress.of(0x1000), 4096), 100, PageType.NORMAL),
                "KVM_SEV_SNP_LAUNCH_UPDATE", "EINVAL", null);
        assertError(() -> psp.snpLaunchUpdate(0x1000, null, 4096, PageType.VMSA), "KVM_SEV_SNP_LAUNCH_UPDATE", "EINVAL",
                null);
        psp.snpLaunchUpdate(0x1000, memory.slice(GuestAddress.of(0x1000), 8192), 8192, PageType.NORMAL);
        assertError(() -> psp.snpLaunchUpdate(0x2000, null, 4096, PageType.ZERO), "KVM_SEV_SNP_LAUNCH_UPDATE", "EIO",
                FirmwareError.INVALID_PAGE_STATE);
    }

    @Test
    void zeroAndSecretsPagesAreWrittenByTheFirmware() {
        psp.init(SevMode.SEV_SNP, 0);
        psp.snpLaunchStart(0x30000, null);
        memory.write(GuestAddress.of(0x3000), new byte[] {9, 9, 9});
        attributes.setPrivate(0x3000, 0x2000, true);
        psp.snpLaunchUpdate(0x3000, null, 4096, PageType.ZERO);
        assertThat(memory.read(GuestAddress.of(0x3000), 3)).containsOnly(0);
        psp.snpLaunchUpdate(0x4000, memory.slice(GuestAddress.of(0x4000), 4096), 4096, PageType.SECRETS);
        assertThat(memory.readInt(GuestAddress.of(0x4000))).as("secrets page version").isEqualTo(2);
        assertThat(memory.read(GuestAddress.of(0x4020), 32)).as("VMPCK0").isNotEqualTo(new byte[32]);
    }

    @Test
    void aCpuidPageWithRefusedBitsIsRewrittenAndRejected() {
        psp.init(SevMode.SEV_SNP, 0);
        psp.snpLaunchStart(0x30000, null);
        int tscDeadline = 1 << 24;
        byte[] page = SnpCpuidTable.fromCpuid(List.of(new CpuidEntry(1, 0, 0, 0x800f12, 0, tscDeadline | 1, 0))).page();
        memory.write(GuestAddress.of(0x5000), page);
        attributes.setPrivate(0x5000, 0x1000, true);
        assertThatThrownBy(() -> psp.snpLaunchUpdate(0x5000, memory.slice(GuestAddress.of(0x5000), 4096), 4096, PageType.CPUID))
                .isInstanceOfSatisfying(CpuidRejectedException.class, e -> {
                    assertThat(e.firmwareError()).isEqualTo(FirmwareError.INVALID_PARAM.code());
                    var fixed = SnpCpuidTable.parse(e.firmwarePage()).entries().getFirst();
                    assertThat(fixed.ecx()).isEqualTo(1);
                    assertThat(memory.read(GuestAddress.of(0x5000), 4096)).as("written back over the source").isEqualTo(e.firmwarePage());
                });
        psp.snpLaunchUpdate(0x5000, memory.slice(GuestAddress.of(0x5000), 4096), 4096, PageType.CPUID);
    }

    @Test
    void finishMeasuresOneVmsaPerVcpuAndChecksTheIdBlock() {
        psp.init(SevMode.SEV_SNP, 0);
        psp.snpLaunchStart(0x30000, null);
        assertError(() -> psp.snpLaunchFinish(List.of(), null, null, false, null), "KVM_SEV_SNP_LAUNCH_FINISH",
                "EINVAL", null);
        SnpLaunchDigest expected = new SnpLaunchDigest();
        var bsp = ConfidentialResetState.forVcpu(0, 0x00800f12, 0);
        expected.update(PageType.VMSA, SnpLaunchDigest.VMSA_GPA, dev.vmm.sev.vmsa.Vmsa.build(bsp, 1, true), 0);
        // A well-signed ID block for another launch digest.
        IdBlockSigner.Signed id = IdBlockSigner.sign(new IdBlock(new byte[48], new byte[16], new byte[16], 1, 0, 0x30000),
                SimulatedPspIdBlockTest.ID_KEY, null);
        assertError(() -> psp.snpLaunchFinish(List.of(bsp), id.idBlock(), id.idAuth(), false, null),
                "KVM_SEV_SNP_LAUNCH_FINISH", "EIO", FirmwareError.BAD_MEASUREMENT);
        // KVM measured the VMSA before the firmware refused to finish: it stays in the digest.
        assertThat(psp.launchDigest()).isEqualTo(expected.digest());
    }
}
