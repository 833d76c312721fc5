package dev.vmm.sev.kvm;

import static dev.vmm.core.abi.CStruct.offset;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import org.junit.jupiter.api.Test;

/** Sizes and key offsets from asm/kvm.h (6.12); the ABI check in {@code tests} compares every member. */
class SevLayoutsTest {
    @Test
    void sizes() {
        assertThat(SevLayouts.KVM_SEV_CMD.byteSize()).isEqualTo(24);
        assertThat(SevLayouts.KVM_SEV_INIT.byteSize()).isEqualTo(48);
        assertThat(SevLayouts.KVM_SEV_LAUNCH_START.byteSize()).isEqualTo(40);
        assertThat(SevLayouts.KVM_SEV_LAUNCH_UPDATE_DATA.byteSize()).isEqualTo(16);
        assertThat(SevLayouts.KVM_SEV_LAUNCH_SECRET.byteSize()).isEqualTo(48);
        assertThat(SevLayouts.KVM_SEV_LAUNCH_MEASURE.byteSize()).isEqualTo(16);
        assertThat(SevLayouts.KVM_SEV_GUEST_STATUS.byteSize()).isEqualTo(12);
        assertThat(SevLayouts.KVM_SEV_SNP_LAUNCH_START.byteSize()).isEqualTo(64);
        assertThat(SevLayouts.KVM_SEV_SNP_LAUNCH_UPDATE.byteSize()).isEqualTo(64);
        assertThat(SevLayouts.KVM_SEV_SNP_LAUNCH_FINISH.byteSize()).isEqualTo(88);
    }

    @Test
    void keyOffsets() {
        assertThat(offset(SevLayouts.KVM_SEV_CMD, "error")).isEqualTo(16);
        assertThat(offset(SevLayouts.KVM_SEV_CMD, "sev_fd")).isEqualTo(20);
        assertThat(offset(SevLayouts.KVM_SEV_LAUNCH_START, "session_uaddr")).isEqualTo(24);
        assertThat(offset(SevLayouts.KVM_SEV_LAUNCH_SECRET, "trans_uaddr")).isEqualTo(32);
        assertThat(offset(SevLayouts.KVM_SEV_SNP_LAUNCH_UPDATE, "type")).isEqualTo(24);
        assertThat(offset(SevLayouts.KVM_SEV_SNP_LAUNCH_UPDATE, "flags")).isEqualTo(26);
        assertThat(offset(SevLayouts.KVM_SEV_SNP_LAUNCH_FINISH, "host_data")).isEqualTo(19);
        assertThat(offset(SevLayouts.KVM_SEV_SNP_LAUNCH_FINISH, "flags")).isEqualTo(54);
    }

    @Test
    void idBlockAuthAndHostDataSizes() {
        assertThat(SevLayouts.SNP_ID_BLOCK_SIZE).isEqualTo(96);
        assertThat(SevLayouts.SNP_ID_AUTH_SIZE).isEqualTo(4096);
        assertThat(SevLayouts.SNP_FINISH_DATA_SIZE).isEqualTo(32);
    }

    @Test
    void structMembersAreUnsignedAndNeverTruncated() {
        try (Arena arena = Arena.ofConfined()) {
            SevStruct s = SevStruct.allocate(arena, SevLayouts.KVM_SEV_LAUNCH_START);
            s.put("policy", 0xffff_ffffL).put("handle", -1);
            assertThat(s.get("policy")).isEqualTo(0xffff_ffffL);
            assertThat(s.get("handle")).isEqualTo(0xffff_ffffL);
            assertThatThrownBy(() -> s.put("dh_len", 1L << 32))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("kvm_sev_launch_start.dh_len");
            assertThatThrownBy(() -> s.put("nope", 1)).hasMessageContaining("no member nope");

            SevStruct f = SevStruct.allocate(arena, SevLayouts.KVM_SEV_SNP_LAUNCH_FINISH);
            assertThatThrownBy(() -> f.putBytes("host_data", new byte[33])).hasMessageContaining("33 bytes");
            assertThatThrownBy(() -> f.put("host_data", 1)).hasMessageContaining("not an integer");
        }
    }
}
