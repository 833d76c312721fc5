package dev.vmm.core.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class IoctlTest {
    @Test
    void encodesDirectionSizeTypeAndNumberLikeTheKernelMacros() {
        // Values from linux/kvm.h as printed by a C program (the ABI check re-checks them all).
        assertThat(Ioctl.io("KVM_RUN", 0xAE, 0x80).request()).isEqualTo(0xAE80L);
        assertThat(Ioctl.iow("KVM_SET_USER_MEMORY_REGION", 0xAE, 0x46, 32).request()).isEqualTo(0x4020AE46L);
        assertThat(Ioctl.ior("KVM_GET_SREGS", 0xAE, 0x83, 312).request()).isEqualTo(0x8138AE83L);
        assertThat(Ioctl.iowr("SEV_ISSUE_CMD", 'S', 0x00, 16).request()).isEqualTo(0xC0105300L);
    }

    @Test
    void refusesWhatTheEncodingCannotHold() {
        assertThatThrownBy(() -> Ioctl.iow("X", 0xAE, 1, 1 << 14)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Ioctl.io("X", 0x1AE, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Ioctl.io("X", 0xAE, 256)).isInstanceOf(IllegalArgumentException.class);
    }
}
