package dev.vmm.sev.psp;

import static dev.vmm.sev.psp.ExpectedStructs.assertCall;
import static dev.vmm.sev.psp.RecordingTransport.allPages;
import static dev.vmm.sev.psp.RecordingTransport.guestStatus;
import static dev.vmm.sev.psp.RecordingTransport.handle;
import static dev.vmm.sev.psp.RecordingTransport.measureBlob;
import static dev.vmm.sev.psp.RecordingTransport.measureLength;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vmm.sev.SevMode;
import dev.vmm.sev.measure.PageType;
import dev.vmm.sev.vmsa.LaunchVcpuState;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The three launches through {@link KvmPsp}, against the order of docs/sev-kvm-abi.md 3.7 and the
 * exact bytes of every struct KVM receives.
 */
class KvmPspSequenceTest {
    // enum sev_cmd_id
    static final int INIT2 = 22;
    static final int LAUNCH_START = 2;
    static final int LAUNCH_UPDATE_DATA = 3;
    static final int LAUNCH_UPDATE_VMSA = 4;
    static final int LAUNCH_SECRET = 5;
    static final int LAUNCH_MEASURE = 6;
    static final int LAUNCH_FINISH = 7;
    static final int GUEST_STATUS = 16;
    static final int SNP_LAUNCH_START = 100;
    static final int SNP_LAUNCH_UPDATE = 101;
    static final int SNP_LAUNCH_FINISH = 102;

    static final List<LaunchVcpuState> TWO_VCPUS = List.of(vcpu(0), vcpu(1));

    @Test
    void sev() {
        byte[] dhCert = filled(140, 0xd1);
        byte[] session = filled(112, 0x5e);
        byte[] blob = filled(48, 0x4d);
        byte[] header = filled(52, 0x11);
        byte[] secret = filled(64, 0x22);
        RecordingTransport kvm = new RecordingTransport()
                .then((cmd, data) -> 0)
                .then(handle(0x1234))
                .then((cmd, data) -> 0)
                .then(measureLength(48))
                .then(measureBlob(blob))
                .then((cmd, data) -> 0)
                .then((cmd, data) -> 0)
                .then(guestStatus(0x1234, 0x1, 3));
        try (Arena arena = Arena.ofConfined(); KvmPsp psp = new KvmPsp(kvm)) {
            MemorySegment firmware = arena.allocate(0x3000, 4096);
            MemorySegment secretArea = arena.allocate(4096, 4096);
            psp.init(SevMode.SEV, 0);
            psp.launchStart(0x1, dhCert, session);
            psp.launchUpdateData(0xffffd000L, firmware);
            assertThat(psp.launchMeasure()).isEqualTo(blob);
            psp.launchSecret(header, secret, 0x80_0000, secretArea);
            psp.launchFinish();
            assertThat(psp.guestStatus()).isEqualTo(new Psp.GuestStatus(0x1234, 0x1, 3));

            assertThat(kvm.ids()).containsExactly(INIT2, LAUNCH_START, LAUNCH_UPDATE_DATA, LAUNCH_MEASURE,
                    LAUNCH_MEASURE, LAUNCH_SECRET, LAUNCH_FINISH, GUEST_STATUS);
            var calls = kvm.calls;
            assertCall(calls.get(0), INIT2, ExpectedStructs.init(0, 0, 0));
            var start = calls.get(1);
            assertCall(start, LAUNCH_START, ExpectedStructs.launchStart(0, 0x1, start.struct().getLong(8), 140,
                    start.struct().getLong(24), 112));
            assertThat(start.blobs().get("dh")).isEqualTo(dhCert);
            assertThat(start.blobs().get("session")).isEqualTo(session);
            assertCall(calls.get(2), LAUNCH_UPDATE_DATA, ExpectedStructs.launchUpdateData(firmware.address(), 0x3000));
            assertCall(calls.get(3), LAUNCH_MEASURE, ExpectedStructs.launchMeasure(0, 0));
            var fetch = calls.get(4);
            assertCall(fetch, LAUNCH_MEASURE, ExpectedStructs.launchMeasure(fetch.struct().getLong(0), 48));
            var inject = calls.get(5);
            assertCall(inject, LAUNCH_SECRET, ExpectedStructs.launchSecret(inject.struct().getLong(0), 52,
                    secretArea.address(), 64, inject.struct().getLong(32), 64));
            assertThat(inject.blobs().get("hdr")).isEqualTo(header);
            assertThat(inject.blobs().get("trans")).isEqualTo(secret);
            assertCall(calls.get(6), LAUNCH_FINISH, null);
            assertCall(calls.get(7), GUEST_STATUS, ExpectedStructs.guestStatus());
        }
    }

    @Test
    void sevEs() {
        long debugSwap = 1L << 5;
        RecordingTransport kvm = new RecordingTransport()
                .then((cmd, data) -> 0)
                .then(handle(9))
                .then((cmd, data) -> 0)
                .then((cmd, data) -> 0)
                .then(measureLength(48))
                .then(measureBlob(new byte[48]))
                .then((cmd, data) -> 0)
                .then(guestStatus(9, 0x5, 3));
        try (Arena arena = Arena.ofConfined(); KvmPsp psp = new KvmPsp(kvm)) {
            MemorySegment firmware = arena.allocate(0x2000, 4096);
            psp.init(SevMode.SEV_ES, debugSwap);
            psp.launchStart(0x5, null, null);
            psp.launchUpdateData(0xffffe000L, firmware);
            psp.launchUpdateVmsa(TWO_VCPUS);
            psp.launchMeasure();
            psp.launchFinish();
            psp.guestStatus();

            assertThat(kvm.ids()).containsExactly(INIT2, LAUNCH_START, LAUNCH_UPDATE_DATA, LAUNCH_UPDATE_VMSA,
                    LAUNCH_MEASURE, LAUNCH_MEASURE, LAUNCH_FINISH, GUEST_STATUS);
            var calls = kvm.calls;
            assertCall(calls.get(0), INIT2, ExpectedStructs.init(debugSwap, 0, 0));
            assertCall(calls.get(1), LAUNCH_START, ExpectedStructs.launchStart(0, 0x5, 0, 0, 0, 0));
            assertCall(calls.get(2), LAUNCH_UPDATE_DATA, ExpectedStructs.launchUpdateData(firmware.address(), 0x2000));
            assertCall(calls.get(3), LAUNCH_UPDATE_VMSA, null);
            assertCall(calls.get(4), LAUNCH_MEASURE, ExpectedStructs.launchMeasure(0, 0));
            assertCall(calls.get(6), LAUNCH_FINISH, null);
        }
    }

    @Test
    void snp() {
        long policy = 0x30000;
        byte[] gosvw = filled(16, 0x67);
        byte[] idBlock = filled(96, 0x1b);
        byte[] idAuth = filled(4096, 0xa7);
        byte[] hostData = filled(32, 0x4d);
        RecordingTransport kvm = new RecordingTransport().otherwise(allPages());
        try (Arena arena = Arena.ofConfined(); KvmPsp psp = new KvmPsp(kvm)) {
            MemorySegment ovmf = arena.allocate(0x2000, 4096);
            MemorySegment cpuid = arena.allocate(4096, 4096);
            MemorySegment secrets = arena.allocate(4096, 4096);
            psp.init(SevMode.SEV_SNP, 0);
            psp.snpLaunchStart(policy, gosvw);
            psp.snpLaunchUpdate(0xffffe000L, ovmf, 0x2000, PageType.NORMAL);
            psp.snpLaunchUpdate(0x80_0000, cpuid, 4096, PageType.CPUID);
            psp.snpLaunchUpdate(0x80_1000, secrets, 4096, PageType.SECRETS);
            psp.snpLaunchUpdate(0x80_2000, null, 0x3000, PageType.ZERO);
            psp.snpLaunchFinish(TWO_VCPUS, idBlock, idAuth, true, hostData);

            assertThat(kvm.ids()).containsExactly(INIT2, SNP_LAUNCH_START, SNP_LAUNCH_UPDATE, SNP_LAUNCH_UPDATE,
                    SNP_LAUNCH_UPDATE, SNP_LAUNCH_UPDATE, SNP_LAUNCH_FINISH);
            var calls = kvm.calls;
            assertCall(calls.get(0), INIT2, ExpectedStructs.init(0, 0, 0));
            assertCall(calls.get(1), SNP_LAUNCH_START, ExpectedStructs.snpLaunchStart(policy, gosvw));
            assertCall(calls.get(2), SNP_LAUNCH_UPDATE, ExpectedStructs.snpLaunchUpdate(0xffffe, ovmf.address(), 0x2000, 1));
            assertCall(calls.get(3), SNP_LAUNCH_UPDATE, ExpectedStructs.snpLaunchUpdate(0x800, cpuid.address(), 4096, 6));
            assertCall(calls.get(4), SNP_LAUNCH_UPDATE, ExpectedStructs.snpLaunchUpdate(0x801, secrets.address(), 4096, 5));
            assertCall(calls.get(5), SNP_LAUNCH_UPDATE, ExpectedStructs.snpLaunchUpdate(0x802, 0, 0x3000, 3));
            var finish = calls.get(6);
            assertCall(finish, SNP_LAUNCH_FINISH, ExpectedStructs.snpLaunchFinish(finish.struct().getLong(0),
                    finish.struct().getLong(8), 1, 1, hostData));
            assertThat(finish.struct().getLong(0)).isNotZero();
            assertThat(finish.struct().getLong(8)).isNotZero();
            assertThat(finish.blobs().get("id_block")).isEqualTo(idBlock);
            assertThat(finish.blobs().get("id_auth")).isEqualTo(idAuth);
        }
    }

    @Test
    void snpWithoutIdBlockOrHostDataSendsZeros() {
        RecordingTransport kvm = new RecordingTransport();
        try (KvmPsp psp = new KvmPsp(kvm)) {
            psp.snpLaunchStart(0x30000, null);
            psp.snpLaunchFinish(TWO_VCPUS, null, null, false, null);
        }
        assertCall(kvm.calls.get(0), SNP_LAUNCH_START, ExpectedStructs.snpLaunchStart(0x30000, new byte[16]));
        assertCall(kvm.calls.get(1), SNP_LAUNCH_FINISH, ExpectedStructs.snpLaunchFinish(0, 0, 0, 0, new byte[32]));
    }

    @Test
    void anIdBlockWithoutAnAuthorKey() {
        RecordingTransport kvm = new RecordingTransport();
        try (KvmPsp psp = new KvmPsp(kvm)) {
            psp.snpLaunchFinish(TWO_VCPUS, filled(96, 1), filled(4096, 2), false, null);
        }
        var finish = kvm.calls.get(0);
        assertCall(finish, SNP_LAUNCH_FINISH, ExpectedStructs.snpLaunchFinish(finish.struct().getLong(0),
                finish.struct().getLong(8), 1, 0, new byte[32]));
    }

    @Test
    void legacyInitOnADefaultTypeVm() {
        RecordingTransport kvm = new RecordingTransport();
        try (KvmPsp sev = new KvmPsp(kvm, true); KvmPsp es = new KvmPsp(kvm, true)) {
            assertThat(sev.legacyInit()).isTrue();
            sev.init(SevMode.SEV, 0);
            es.init(SevMode.SEV_ES, 0);
        }
        assertCall(kvm.calls.get(0), 0, null);     // KVM_SEV_INIT
        assertCall(kvm.calls.get(1), 1, null);     // KVM_SEV_ES_INIT
        assertThat(new KvmPsp(kvm).legacyInit()).isFalse();
    }

    @Test
    void measureAsksForTheLengthThenFetchesThatMuch() {
        byte[] blob = filled(48, 0x3c);
        RecordingTransport kvm = new RecordingTransport().then(measureLength(48)).then(measureBlob(blob));
        try (KvmPsp psp = new KvmPsp(kvm)) {
            assertThat(psp.launchMeasure()).isEqualTo(blob);
        }
        assertThat(kvm.ids()).containsExactly(LAUNCH_MEASURE, LAUNCH_MEASURE);
        assertCall(kvm.calls.get(0), LAUNCH_MEASURE, ExpectedStructs.launchMeasure(0, 0));
        var fetch = kvm.calls.get(1);
        assertThat(fetch.struct().getLong(0)).as("uaddr of the fetch").isNotZero();
        assertCall(fetch, LAUNCH_MEASURE, ExpectedStructs.launchMeasure(fetch.struct().getLong(0), 48));
    }

    @Test
    void aLargeRangeIsCutIntoPiecesThatFitLen() {
        RecordingTransport kvm = new RecordingTransport();
        // Never touched: only its address and size go to the (fake) kernel.
        MemorySegment huge = MemorySegment.ofAddress(0x7f00_0000_0000L).reinterpret(KvmPsp.MAX_UPDATE_DATA * 2 + 0x1000);
        try (KvmPsp psp = new KvmPsp(kvm)) {
            psp.launchUpdateData(0x1_0000_0000L, huge);
        }
        assertThat(kvm.ids()).containsExactly(LAUNCH_UPDATE_DATA, LAUNCH_UPDATE_DATA, LAUNCH_UPDATE_DATA);
        assertCall(kvm.calls.get(0), LAUNCH_UPDATE_DATA,
                ExpectedStructs.launchUpdateData(huge.address(), (int) KvmPsp.MAX_UPDATE_DATA));
        assertCall(kvm.calls.get(2), LAUNCH_UPDATE_DATA,
                ExpectedStructs.launchUpdateData(huge.address() + 2 * KvmPsp.MAX_UPDATE_DATA, 0x1000));
    }

    @Test
    void describesItself() {
        try (KvmPsp psp = new KvmPsp(new RecordingTransport())) {
            assertThat(psp.description()).contains("KVM (/dev/sev)");
            assertThat(psp.isSimulated()).isFalse();
        }
    }

    static LaunchVcpuState vcpu(int index) {
        return new LaunchVcpuState(index, null, null, null, LaunchVcpuState.XCR0_RESET, LaunchVcpuState.PAT_RESET,
                LaunchVcpuState.DR6_RESET, LaunchVcpuState.DR7_RESET);
    }

    static byte[] filled(int length, int value) {
        byte[] b = new byte[length];
        Arrays.fill(b, (byte) value);
        b[0] = (byte) length;     // not a constant run, so that an offset error shows
        return b;
    }
}
