package dev.vmm.sev.psp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;

/**
 * The bytes KVM must receive, built field by field from the offsets of asm/kvm.h (6.12, x86-64) with
 * a little-endian buffer, so that a wrong {@code SevLayouts} cannot agree with itself. Pointers the
 * PSP allocates cannot be known in advance: the tests take them from the call and check what they
 * point to.
 */
final class ExpectedStructs {
    private ExpectedStructs() {}

    /** {@code struct kvm_sev_cmd}: error zeroed, the /dev/sev fd in every call. */
    static byte[] cmd(int id, long data) {
        return buffer(24).putInt(0, id).putLong(8, data).putInt(16, 0).putInt(20, RecordingTransport.SEV_FD).array();
    }

    static byte[] init(long vmsaFeatures, int flags, int ghcbVersion) {
        return buffer(48).putLong(0, vmsaFeatures).putInt(8, flags).putShort(12, (short) ghcbVersion).array();
    }

    static byte[] launchStart(int handle, int policy, long dh, int dhLen, long session, int sessionLen) {
        return buffer(40).putInt(0, handle).putInt(4, policy).putLong(8, dh).putInt(16, dhLen)
                .putLong(24, session).putInt(32, sessionLen).array();
    }

    static byte[] launchUpdateData(long uaddr, int len) {
        return buffer(16).putLong(0, uaddr).putInt(8, len).array();
    }

    static byte[] launchSecret(long hdr, int hdrLen, long guest, int guestLen, long trans, int transLen) {
        return buffer(48).putLong(0, hdr).putInt(8, hdrLen).putLong(16, guest).putInt(24, guestLen)
                .putLong(32, trans).putInt(40, transLen).array();
    }

    static byte[] launchMeasure(long uaddr, int len) {
        return buffer(16).putLong(0, uaddr).putInt(8, len).array();
    }

    static byte[] guestStatus() {
        return new byte[12];
    }

    static byte[] snpLaunchStart(long policy, byte[] gosvw) {
        return buffer(64).putLong(0, policy).put(8, gosvw).array();
    }

    static byte[] snpLaunchUpdate(long gfn, long uaddr, long len, int type) {
        return buffer(64).putLong(0, gfn).putLong(8, uaddr).putLong(16, len).put(24, (byte) type).array();
    }

    static byte[] snpLaunchFinish(long idBlock, long idAuth, int idBlockEn, int authKeyEn, byte[] hostData) {
        return buffer(88).putLong(0, idBlock).putLong(8, idAuth).put(16, (byte) idBlockEn).put(17, (byte) authKeyEn)
                .put(18, (byte) 0).put(19, hostData).putShort(54, (short) 0).array();
    }

    /** The call is {@code id} with exactly {@code data} behind its pointer (null: no struct, data = 0). */
    static void assertCall(RecordingTransport.Call call, int id, byte[] data) {
        assertThat(call.id()).as("sub-command id").isEqualTo(id);
        if (data == null) {
            assertThat(hex(call.cmd())).as("kvm_sev_cmd of %d", id).isEqualTo(hex(cmd(id, 0)));
            return;
        }
        assertThat(call.cmdData()).as("kvm_sev_cmd.data of %d", id).isNotZero();
        assertThat(hex(call.cmd())).as("kvm_sev_cmd of %d", id).isEqualTo(hex(cmd(id, call.cmdData())));
        assertThat(hex(call.data())).as("struct of %d", id).isEqualTo(hex(data));
    }

    static String hex(byte[] bytes) {
        return HexFormat.ofDelimiter(" ").formatHex(bytes);
    }

    private static ByteBuffer buffer(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }
}
