package dev.vmm.sev.kvm;

import dev.vmm.core.abi.CConstant;

/** Sub-commands of KVM_MEMORY_ENCRYPT_OP ({@code enum sev_cmd_id}, arch/x86/include/uapi/asm/kvm.h). */
public enum SevCmdId implements CConstant {
    INIT(0), ES_INIT(1), LAUNCH_START(2), LAUNCH_UPDATE_DATA(3), LAUNCH_UPDATE_VMSA(4), LAUNCH_SECRET(5),
    LAUNCH_MEASURE(6), LAUNCH_FINISH(7), GUEST_STATUS(16), GET_ATTESTATION_REPORT(20), INIT2(22),
    SNP_LAUNCH_START(100), SNP_LAUNCH_UPDATE(101), SNP_LAUNCH_FINISH(102);

    private final int id;

    SevCmdId(int id) {
        this.id = id;
    }

    public int id() {
        return id;
    }

    @Override
    public String cName() {
        return "KVM_SEV_" + name();
    }

    @Override
    public long value() {
        return id;
    }
}
