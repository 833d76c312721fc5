package dev.vmm.core.sys;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ErrnoTest {
    @Test
    void libcNamesAndTextsTheErrnosItKnows() {
        assertThat(Errno.name(Errno.ENOENT)).isEqualTo("ENOENT");
        assertThat(Errno.describe(Errno.EINVAL)).isEqualTo("EINVAL (Invalid argument)");
        assertThat(Errno.name(4000)).isEqualTo("errno 4000");
    }

    /** 524 is the kernel's own ENOTSUPP: libc has no name for it ("Unknown error 524"), so we give one. */
    @Test
    void theKernelInternalEnotsuppIsNamed() {
        assertThat(Errno.ENOTSUPP).isEqualTo(524);
        assertThat(Errno.name(524)).isEqualTo("ENOTSUPP");
        assertThat(Errno.describe(524)).isEqualTo("ENOTSUPP (kernel-internal: not supported by this firmware/kernel)");
        assertThat(new SysException("ioctl(SEV_ISSUE_CMD)", 524, null).getMessage()).contains("ENOTSUPP (kernel-internal");
    }
}
