package dev.vmm.sev.psp;

import static dev.vmm.sev.psp.KvmPspSequenceTest.TWO_VCPUS;
import static dev.vmm.sev.psp.RecordingTransport.fail;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vmm.core.sys.Errno;
import dev.vmm.sev.SevMode;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Failures name the command, the errno and the firmware status; bad arguments never reach KVM. */
class KvmPspErrorsTest {
    @Test
    void aFirmwareRefusalNamesAllThree() {
        RecordingTransport kvm = new RecordingTransport().then(fail(Errno.EIO, FirmwareError.POLICY_FAILURE.code()));
        PspException e = catchThrowableOfType(PspException.class, () -> new KvmPsp(kvm).launchStart(0x5, null, null));
        assertThat(e.command()).isEqualTo("KVM_SEV_LAUNCH_START");
        assertThat(e.errno()).isEqualTo(Errno.EIO);
        assertThat(e.firmwareError()).isEqualTo(0x07);
        assertThat(e).hasMessage("KVM_SEV_LAUNCH_START: EIO (Input/output error), firmware error POLICY_FAILURE (0x7)"
                + ": policy 0x5");
    }

    @Test
    void aKernelRefusalHasNoFirmwareError() {
        RecordingTransport kvm = new RecordingTransport().then(fail(Errno.EINVAL, 0));
        assertThatThrownBy(() -> new KvmPsp(kvm).init(SevMode.SEV_SNP, 1L << 5))
                .isInstanceOf(PspException.class)
                .hasMessage("KVM_SEV_INIT2: EINVAL (Invalid argument): sev-snp, vmsa_features 0x20");
    }

    @Test
    void theDriversNoFirmwareCallMarkIsNotAFirmwareError() {
        RecordingTransport kvm = new RecordingTransport().then(fail(Errno.EBUSY, SevOp.NO_FW_CALL));
        PspException e = catchThrowableOfType(PspException.class, () -> new KvmPsp(kvm).launchFinish());
        assertThat(e.firmwareError()).isZero();
        assertThat(e).hasMessage("KVM_SEV_LAUNCH_FINISH: EBUSY (Device or resource busy)");
    }

    @Test
    void anSevCommandOnAnSnpVmIsRefusedByKvm() {
        RecordingTransport kvm = new RecordingTransport().then(fail(Errno.EPERM, 0));
        assertThatThrownBy(() -> new KvmPsp(kvm).guestStatus())
                .isInstanceOf(PspException.class).hasMessageStartingWith("KVM_SEV_GUEST_STATUS: EPERM");
    }

    @Test
    void aMeasurementWhoseLengthCannotBeLearnedFails() {
        // The firmware was not reached, so KVM wrote back len 0.
        RecordingTransport kvm = new RecordingTransport().then(fail(Errno.ENOTTY, 0));
        assertThatThrownBy(() -> new KvmPsp(kvm).launchMeasure())
                .isInstanceOf(PspException.class)
                .hasMessage("KVM_SEV_LAUNCH_MEASURE: ENOTTY (Inappropriate ioctl for device): length query");
        assertThat(kvm.calls).hasSize(1);
    }

    @Test
    void aFailedFetchOfTheMeasurementIsReported() {
        RecordingTransport kvm = new RecordingTransport().then(RecordingTransport.measureLength(48))
                .then(fail(Errno.EIO, FirmwareError.INVALID_GUEST_STATE.code()));
        assertThatThrownBy(() -> new KvmPsp(kvm).launchMeasure())
                .isInstanceOf(PspException.class)
                .hasMessageStartingWith("KVM_SEV_LAUNCH_MEASURE: EIO")
                .hasMessageContaining("INVALID_GUEST_STATE (0x2)");
    }

    @Test
    void theErrorFieldStartsAtZeroInEveryCall() {
        RecordingTransport kvm = new RecordingTransport()
                .then(fail(Errno.EIO, FirmwareError.INVALID_GUEST_STATE.code()))
                .then((cmd, data) -> cmd.get(JAVA_INT, 16) == 0 ? 0 : -Errno.EFAULT);
        KvmPsp psp = new KvmPsp(kvm);
        assertThatThrownBy(psp::launchFinish).isInstanceOf(PspException.class);
        psp.launchFinish();
    }

    @Test
    void argumentsKvmWouldRefuseNeverReachIt() {
        RecordingTransport kvm = new RecordingTransport();
        KvmPsp psp = new KvmPsp(kvm);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment small = arena.allocate(16);
            assertThatThrownBy(() -> psp.launchUpdateVmsa(List.of()))
                    .hasMessageStartingWith("KVM_SEV_LAUNCH_UPDATE_VMSA: EINVAL").hasMessageContaining("no vCPU");
            assertThatThrownBy(() -> psp.snpLaunchFinish(List.of(), null, null, false, null))
                    .hasMessageStartingWith("KVM_SEV_SNP_LAUNCH_FINISH: EINVAL");
            assertThatThrownBy(() -> psp.snpLaunchFinish(TWO_VCPUS, new byte[96], null, true, null))
                    .hasMessageContaining("ID auth of 4096");
            assertThatThrownBy(() -> psp.snpLaunchFinish(TWO_VCPUS, null, null, true, null))
                    .hasMessageContaining("without an ID block");
            assertThatThrownBy(() -> psp.snpLaunchFinish(TWO_VCPUS, null, null, false, new byte[31]))
                    .hasMessageContaining("host data must be 32 bytes");
            assertThatThrownBy(() -> psp.snpLaunchStart(0x30000, new byte[15]))
                    .hasMessageContaining("gosvw must be 16 bytes");
            assertThatThrownBy(() -> psp.launchSecret(new byte[52], new byte[64], 0x1000, small))
                    .hasMessageContaining("64-byte secret in 16 bytes at gpa 0x1000");
            assertThatThrownBy(() -> psp.launchUpdateData(0x1000, small.asSlice(0, 0)))
                    .hasMessageContaining("empty range");
        }
        assertThat(kvm.calls).isEmpty();
    }

    @Test
    void theLegacyInitMakesNeitherSnpNorVmsaFeatures() {
        RecordingTransport kvm = new RecordingTransport();
        KvmPsp legacy = new KvmPsp(kvm, true);
        assertThatThrownBy(() -> legacy.init(SevMode.SEV_SNP, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("KVM_SEV_INIT2");
        assertThatThrownBy(() -> legacy.init(SevMode.SEV_ES, 1L << 5))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("VMSA features");
        assertThat(kvm.calls).isEmpty();
    }

    @Test
    void aClosedPspRefusesCommands() {
        RecordingTransport kvm = new RecordingTransport();
        KvmPsp psp = new KvmPsp(kvm);
        psp.close();
        assertThatThrownBy(psp::launchFinish).isInstanceOf(IllegalStateException.class);
        assertThat(kvm.calls).isEmpty();
    }
}
