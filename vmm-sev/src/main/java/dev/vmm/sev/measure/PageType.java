package dev.vmm.sev.measure;

import dev.vmm.core.abi.CConstant;

/**
 * SNP page types: the {@code type} of KVM_SEV_SNP_LAUNCH_UPDATE, equal to the firmware's PAGE_TYPE.
 * VMSA is the firmware's own type for the pages KVM adds in SNP_LAUNCH_FINISH; userspace never passes it.
 */
public enum PageType implements CConstant {
    NORMAL(0x1, "KVM_SEV_SNP_PAGE_TYPE_NORMAL"),
    VMSA(0x2, null),
    ZERO(0x3, "KVM_SEV_SNP_PAGE_TYPE_ZERO"),
    UNMEASURED(0x4, "KVM_SEV_SNP_PAGE_TYPE_UNMEASURED"),
    SECRETS(0x5, "KVM_SEV_SNP_PAGE_TYPE_SECRETS"),
    CPUID(0x6, "KVM_SEV_SNP_PAGE_TYPE_CPUID");

    private final int value;
    private final String cName;

    PageType(int value, String cName) {
        this.value = value;
        this.cName = cName;
    }

    public int code() {
        return value;
    }

    /** Whether the page's contents enter the digest (the others contribute 48 zero bytes). */
    public boolean measuresContents() {
        return this == NORMAL || this == VMSA;
    }

    /** The UAPI macro, or {@code null} for VMSA, which has none. */
    @Override
    public String cName() {
        return cName;
    }

    @Override
    public long value() {
        return value;
    }

    public String label() {
        return name().toLowerCase();
    }
}
