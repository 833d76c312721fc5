package dev.vmm.sev.platform;

import dev.vmm.core.abi.CConstant;

/** The {@code /dev/sev} commands ({@code sev_issue_cmd.cmd}, the first enum of linux/psp-sev.h). */
public enum PlatformCommand implements CConstant {
    SEV_FACTORY_RESET(0), SEV_PLATFORM_STATUS(1), SEV_PEK_GEN(2), SEV_PEK_CSR(3), SEV_PDH_GEN(4),
    SEV_PDH_CERT_EXPORT(5), SEV_PEK_CERT_IMPORT(6), SEV_GET_ID(7), SEV_GET_ID2(8), SNP_PLATFORM_STATUS(9),
    SNP_COMMIT(10), SNP_SET_CONFIG(11), SNP_VLEK_LOAD(12), SEV_MAX(13);

    private final int id;

    PlatformCommand(int id) {
        this.id = id;
    }

    public int id() {
        return id;
    }

    /** The command with number {@code id}, or null for one the kernel does not know. */
    public static PlatformCommand of(long id) {
        for (PlatformCommand c : values()) {
            if (c.id == id && c != SEV_MAX) {
                return c;
            }
        }
        return null;
    }

    @Override
    public String cName() {
        return name();
    }

    @Override
    public long value() {
        return id;
    }
}
