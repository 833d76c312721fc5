package dev.vmm.sev.psp;

import static dev.vmm.sev.psp.ExpectedStructs.assertCall;
import static dev.vmm.sev.psp.ExpectedStructs.hex;
import static dev.vmm.sev.psp.RecordingTransport.PAGE;
import static dev.vmm.sev.psp.RecordingTransport.allPages;
import static dev.vmm.sev.psp.RecordingTransport.cpuidRefused;
import static dev.vmm.sev.psp.RecordingTransport.fail;
import static dev.vmm.sev.psp.RecordingTransport.progress;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vmm.core.sys.Errno;
import dev.vmm.sev.measure.PageType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** KVM_SEV_SNP_LAUNCH_UPDATE: partial progress, EAGAIN, first-page errors and the CPUID page check. */
class KvmPspSnpLaunchUpdateTest {
    static final int ID = KvmPspSequenceTest.SNP_LAUNCH_UPDATE;
    static final int NORMAL = 1;
    static final int ZERO = 3;
    static final int CPUID = 6;
    static final long GPA = 0x10_0000;
    static final long GFN = GPA / PAGE;

    private final Arena arena = Arena.ofConfined();

    @AfterEach
    void free() {
        arena.close();
    }

    @Test
    void partialProgressContinuesWhereKvmStopped() {
        MemorySegment source = pages(5);
        RecordingTransport kvm = new RecordingTransport().then(progress(3)).then(allPages());
        new KvmPsp(kvm).snpLaunchUpdate(GPA, source, 5 * PAGE, PageType.NORMAL);

        assertThat(kvm.ids()).containsExactly(ID, ID);
        assertCall(kvm.calls.get(0), ID, ExpectedStructs.snpLaunchUpdate(GFN, source.address(), 5 * PAGE, NORMAL));
        assertCall(kvm.calls.get(1), ID,
                ExpectedStructs.snpLaunchUpdate(GFN + 3, source.address() + 3 * PAGE, 2 * PAGE, NORMAL));
    }

    @Test
    void zeroPagesHaveNoSourceEvenAfterPartialProgress() {
        RecordingTransport kvm = new RecordingTransport().then(progress(1)).then(progress(1)).then(allPages());
        new KvmPsp(kvm).snpLaunchUpdate(GPA, null, 4 * PAGE, PageType.ZERO);

        assertThat(kvm.ids()).containsExactly(ID, ID, ID);
        assertCall(kvm.calls.get(2), ID, ExpectedStructs.snpLaunchUpdate(GFN + 2, 0, 2 * PAGE, ZERO));
    }

    @Test
    void eagainIsRetriedWithTheSameArguments() {
        MemorySegment source = pages(2);
        RecordingTransport kvm = new RecordingTransport().then(fail(Errno.EAGAIN, 0)).then(fail(Errno.EAGAIN, 0))
                .then(allPages());
        new KvmPsp(kvm).snpLaunchUpdate(GPA, source, 2 * PAGE, PageType.NORMAL);

        assertThat(kvm.ids()).containsExactly(ID, ID, ID);
        byte[] expected = ExpectedStructs.snpLaunchUpdate(GFN, source.address(), 2 * PAGE, NORMAL);
        for (var call : kvm.calls) {
            assertCall(call, ID, expected);
        }
    }

    @Test
    void endlessEagainGivesUp() {
        RecordingTransport kvm = new RecordingTransport().otherwise(fail(Errno.EAGAIN, 0));
        assertThatThrownBy(() -> new KvmPsp(kvm).snpLaunchUpdate(GPA, pages(1), PAGE, PageType.NORMAL))
                .isInstanceOf(PspException.class)
                .hasMessageContaining("EAGAIN")
                .hasMessageContaining(SnpLaunchUpdate.EAGAIN_RETRIES + " tries");
        assertThat(kvm.calls).hasSize(SnpLaunchUpdate.EAGAIN_RETRIES);
    }

    @Test
    void anErrorOnTheFirstPageNamesCommandErrnoAndFirmwareError() {
        RecordingTransport kvm = new RecordingTransport().then(progress(2))
                .then(fail(Errno.EIO, FirmwareError.INVALID_PAGE_STATE.code()));
        PspException e = catchThrowableOfType(PspException.class,
                () -> new KvmPsp(kvm).snpLaunchUpdate(GPA, pages(4), 4 * PAGE, PageType.NORMAL));

        assertThat(e).isNotInstanceOf(CpuidRejectedException.class);
        assertThat(e.command()).isEqualTo("KVM_SEV_SNP_LAUNCH_UPDATE");
        assertThat(e.errno()).isEqualTo(Errno.EIO);
        assertThat(e.firmwareError()).isEqualTo(0x1a);
        assertThat(e).hasMessageStartingWith("KVM_SEV_SNP_LAUNCH_UPDATE: EIO")
                .hasMessageContaining("INVALID_PAGE_STATE (0x1a)")
                .hasMessageContaining("gpa 0x102000")
                .hasMessageContaining("2 of 4 pages");
        assertThat(kvm.calls).hasSize(2);
    }

    @Test
    void aRefusedCpuidPageComesBackAsTheFirmwareWroteIt() {
        MemorySegment source = pages(1);
        byte[] ours = source.toArray(JAVA_BYTE);
        byte[] firmwares = page(0x5a);
        RecordingTransport kvm = new RecordingTransport().then(cpuidRefused(0, firmwares));
        CpuidRejectedException e = catchThrowableOfType(CpuidRejectedException.class,
                () -> new KvmPsp(kvm).snpLaunchUpdate(GPA, source, PAGE, PageType.CPUID));

        assertThat(hex(e.firmwarePage())).isEqualTo(hex(firmwares));
        assertThat(e.command()).isEqualTo("KVM_SEV_SNP_LAUNCH_UPDATE");
        assertThat(e.errno()).isEqualTo(Errno.EIO);
        assertThat(e.firmwareError()).isEqualTo(FirmwareError.INVALID_PARAM.code());
        assertThat(e).hasMessageContaining("EIO").hasMessageContaining("INVALID_PARAM (0x16)");
        // What was sent went out unchanged; the firmware's version is what KVM wrote back.
        assertCall(kvm.calls.get(0), ID, ExpectedStructs.snpLaunchUpdate(GFN, source.address(), PAGE, CPUID));
        assertThat(ours).isNotEqualTo(firmwares);
    }

    @Test
    void aCpuidPageRefusedAfterPartialProgressIsNotImportedSilently() {
        // KVM returns 0 after page 0 with the firmware's page 1 in the source; a next call would import it.
        MemorySegment source = pages(2);
        byte[] firmwares = page(0x3c);
        RecordingTransport kvm = new RecordingTransport().then(cpuidRefused(1, firmwares));
        CpuidRejectedException e = catchThrowableOfType(CpuidRejectedException.class,
                () -> new KvmPsp(kvm).snpLaunchUpdate(GPA, source, 2 * PAGE, PageType.CPUID));

        assertThat(hex(e.firmwarePage())).isEqualTo(hex(firmwares));
        assertThat(kvm.calls).hasSize(1);
    }

    @Test
    void invalidParamOnAnotherPageTypeIsAnOrdinaryError() {
        RecordingTransport kvm = new RecordingTransport().then(fail(Errno.EIO, FirmwareError.INVALID_PARAM.code()));
        assertThatThrownBy(() -> new KvmPsp(kvm).snpLaunchUpdate(GPA, pages(1), PAGE, PageType.NORMAL))
                .isInstanceOf(PspException.class)
                .isNotInstanceOf(CpuidRejectedException.class)
                .hasMessageContaining("INVALID_PARAM");
    }

    @Test
    void aSuccessWithoutProgressDoesNotLoopForever() {
        RecordingTransport kvm = new RecordingTransport().then((cmd, data) -> 0);
        assertThatThrownBy(() -> new KvmPsp(kvm).snpLaunchUpdate(GPA, pages(1), PAGE, PageType.NORMAL))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("KVM_SEV_SNP_LAUNCH_UPDATE returned 0 without importing gpa 0x100000");
    }

    @Test
    void argumentsKvmWouldRefuseNeverReachIt() {
        RecordingTransport kvm = new RecordingTransport();
        KvmPsp psp = new KvmPsp(kvm);
        assertThatThrownBy(() -> psp.snpLaunchUpdate(GPA, pages(1), PAGE, PageType.VMSA))
                .isInstanceOf(PspException.class).hasMessageContaining("EINVAL").hasMessageContaining("VMSA");
        assertThatThrownBy(() -> psp.snpLaunchUpdate(GPA, pages(1), 100, PageType.NORMAL))
                .isInstanceOf(PspException.class).hasMessageContaining("whole pages");
        assertThatThrownBy(() -> psp.snpLaunchUpdate(GPA + 1, pages(1), PAGE, PageType.NORMAL))
                .isInstanceOf(PspException.class).hasMessageContaining("whole pages");
        assertThatThrownBy(() -> psp.snpLaunchUpdate(GPA, pages(1), 2 * PAGE, PageType.NORMAL))
                .isInstanceOf(PspException.class).hasMessageContaining("no source");
        assertThatThrownBy(() -> psp.snpLaunchUpdate(GPA, pages(2).asSlice(8, PAGE), PAGE, PageType.NORMAL))
                .isInstanceOf(PspException.class).hasMessageContaining("not page aligned");
        assertThat(kvm.calls).isEmpty();
    }

    /** Page-aligned source pages, each with its own pattern. */
    private MemorySegment pages(int count) {
        MemorySegment s = arena.allocate((long) count * PAGE, PAGE);
        for (int i = 0; i < count; i++) {
            MemorySegment.copy(page(0x10 + i), 0, s, JAVA_BYTE, (long) i * PAGE, PAGE);
        }
        return s;
    }

    private static byte[] page(int seed) {
        byte[] p = new byte[PAGE];
        for (int i = 0; i < PAGE; i++) {
            p[i] = (byte) (seed + i * 7);
        }
        return p;
    }
}
