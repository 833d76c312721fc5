package dev.vmm.sev.attest;

/**
 * Offsets in ATTESTATION_REPORT (AMD SEV-SNP firmware ABI, "ATTESTATION_REPORT Structure"; the same
 * as virtee/sev's ReportBody). Versions 2, 3 and 5 share the layout: later versions take over bytes
 * that were reserved before.
 */
final class ReportLayout {
    private ReportLayout() {}

    static final int SIZE = 0x4a0;
    /** The signature covers bytes 0x000..0x29F; nothing after is signed. */
    static final int SIGNED_LENGTH = 0x2a0;

    static final int VERSION = 0x000;
    static final int GUEST_SVN = 0x004;
    static final int POLICY = 0x008;
    static final int FAMILY_ID = 0x010;
    static final int IMAGE_ID = 0x020;
    static final int VMPL = 0x030;
    static final int SIGNATURE_ALGO = 0x034;
    static final int CURRENT_TCB = 0x038;
    static final int PLATFORM_INFO = 0x040;
    static final int KEY_INFO = 0x048;
    static final int RESERVED_04C = 0x04c;
    static final int REPORT_DATA = 0x050;
    static final int MEASUREMENT = 0x090;
    static final int HOST_DATA = 0x0c0;
    static final int ID_KEY_DIGEST = 0x0e0;
    static final int AUTHOR_KEY_DIGEST = 0x110;
    static final int REPORT_ID = 0x140;
    static final int REPORT_ID_MA = 0x160;
    static final int REPORTED_TCB = 0x180;
    /** Version 3+: CPUID_FAM_ID, CPUID_MOD_ID, CPUID_STEP; reserved in version 2. */
    static final int CPUID_FAM_ID = 0x188;
    static final int CPUID_MOD_ID = 0x189;
    static final int CPUID_STEP = 0x18a;
    static final int CHIP_ID = 0x1a0;
    static final int COMMITTED_TCB = 0x1e0;
    static final int CURRENT_BUILD = 0x1e8;
    static final int CURRENT_MINOR = 0x1e9;
    static final int CURRENT_MAJOR = 0x1ea;
    static final int RESERVED_1EB = 0x1eb;
    static final int COMMITTED_BUILD = 0x1ec;
    static final int COMMITTED_MINOR = 0x1ed;
    static final int COMMITTED_MAJOR = 0x1ee;
    static final int RESERVED_1EF = 0x1ef;
    static final int LAUNCH_TCB = 0x1f0;
    /** Version 5: LAUNCH_MIT_VECTOR and CURRENT_MIT_VECTOR; reserved before. */
    static final int LAUNCH_MIT_VECTOR = 0x1f8;
    static final int CURRENT_MIT_VECTOR = 0x200;
    static final int RESERVED_V5_TAIL = 0x208;
    /** SIGNATURE: R and S as 72-byte little-endian integers, then reserved to 0x49F. */
    static final int SIGNATURE_R = 0x2a0;
    static final int SIGNATURE_S = 0x2e8;
    static final int SIGNATURE_RESERVED = 0x330;

    static final int FAMILY_ID_SIZE = 16;
    static final int REPORT_DATA_SIZE = 64;
    static final int MEASUREMENT_SIZE = 48;
    static final int HOST_DATA_SIZE = 32;
    static final int KEY_DIGEST_SIZE = 48;
    static final int REPORT_ID_SIZE = 32;
    static final int CHIP_ID_SIZE = 64;
}
