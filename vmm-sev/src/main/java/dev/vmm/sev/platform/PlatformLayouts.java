package dev.vmm.sev.platform;

import static dev.vmm.core.abi.CStruct.bits;
import static dev.vmm.core.abi.CStruct.bytes;
import static dev.vmm.core.abi.CStruct.packed;
import static dev.vmm.core.abi.CStruct.u32;
import static dev.vmm.core.abi.CStruct.u64;
import static dev.vmm.core.abi.CStruct.u8;

import dev.vmm.core.abi.CName;
import dev.vmm.core.sys.Ioctl;
import java.lang.foreign.StructLayout;

/**
 * The {@code /dev/sev} ioctl and its structs (linux/psp-sev.h). All are packed: {@code sev_issue_cmd}
 * has its u64 at offset 4, unlike the naturally aligned {@code kvm_sev_cmd}.
 */
public final class PlatformLayouts {
    /** {@code struct sev_issue_cmd}: the envelope; {@code data} points at the command's struct. */
    public static final StructLayout SEV_ISSUE_CMD_STRUCT = packed("sev_issue_cmd",
            u32("cmd"), u64("data"), u32("error"));

    @CName("SEV_IOC_TYPE") public static final int SEV_IOC_TYPE = 'S';
    public static final Ioctl SEV_ISSUE_CMD =
            Ioctl.iowr("SEV_ISSUE_CMD", SEV_IOC_TYPE, 0x0, SEV_ISSUE_CMD_STRUCT.byteSize());

    /** PLATFORM_STATUS {@code flags}: SEV-ES is initialised. */
    @CName("SEV_STATUS_FLAGS_CONFIG_ES") public static final int STATUS_FLAGS_CONFIG_ES = 0x100;
    /**
     * SEV_FW_BLOB_MAX_SIZE, the largest certificate or blob the kernel passes between user space and the
     * firmware (16 KiB). It is in the kernel's include/linux/psp-sev.h, not the UAPI header, so the ABI
     * check cannot compile against it.
     */
    public static final int FW_BLOB_MAX_SIZE = 0x4000;

    public static final StructLayout SEV_USER_DATA_STATUS = packed("sev_user_data_status",
            u8("api_major"), u8("api_minor"), u8("state"), u32("flags"), u8("build"), u32("guest_count"));

    /** {@code length} is in and out: the firmware answers a short buffer with the length it needs. */
    public static final StructLayout SEV_USER_DATA_PEK_CSR = packed("sev_user_data_pek_csr",
            u64("address"), u32("length"));

    public static final StructLayout SEV_USER_DATA_PEK_CERT_IMPORT = packed("sev_user_data_pek_cert_import",
            u64("pek_cert_address"), u32("pek_cert_len"), u64("oca_cert_address"), u32("oca_cert_len"));

    public static final StructLayout SEV_USER_DATA_PDH_CERT_EXPORT = packed("sev_user_data_pdh_cert_export",
            u64("pdh_cert_address"), u32("pdh_cert_len"), u64("cert_chain_address"), u32("cert_chain_len"));

    /** The deprecated GET_ID: the IDs of up to two sockets, 64 bytes each. */
    public static final StructLayout SEV_USER_DATA_GET_ID = packed("sev_user_data_get_id",
            bytes("socket1", 64), bytes("socket2", 64));

    public static final StructLayout SEV_USER_DATA_GET_ID2 = packed("sev_user_data_get_id2",
            u64("address"), u32("length"));

    public static final StructLayout SEV_USER_DATA_SNP_STATUS = packed("sev_user_data_snp_status",
            u8("api_major"), u8("api_minor"), u8("state"), bits(1, "is_rmp_initialized:1", "rsvd:7"),
            u32("build_id"), bits(4, "mask_chip_id:1", "mask_chip_key:1", "vlek_en:1", "rsvd1:29"),
            u32("guest_count"), u64("current_tcb_version"), u64("reported_tcb_version"));

    public static final StructLayout SEV_USER_DATA_SNP_CONFIG = packed("sev_user_data_snp_config",
            u64("reported_tcb"), bits(4, "mask_chip_id:1", "mask_chip_key:1", "rsvd:30"), bytes("rsvd1", 52));

    /** {@code len} must be the size of this struct and {@code vlek_wrapped_version} 0, or the kernel says EINVAL. */
    public static final StructLayout SEV_USER_DATA_SNP_VLEK_LOAD = packed("sev_user_data_snp_vlek_load",
            u32("len"), u8("vlek_wrapped_version"), bytes("rsvd", 3), u64("vlek_wrapped_address"));

    /** The VLEK hashstick as AMD's key distribution service wraps it for one chip; opaque to the host. */
    public static final StructLayout SEV_USER_DATA_SNP_WRAPPED_VLEK_HASHSTICK =
            packed("sev_user_data_snp_wrapped_vlek_hashstick", bytes("data", 432));

    private PlatformLayouts() {}
}
