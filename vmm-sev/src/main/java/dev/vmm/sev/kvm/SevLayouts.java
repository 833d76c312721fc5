package dev.vmm.sev.kvm;

import static dev.vmm.core.abi.CStruct.array;
import static dev.vmm.core.abi.CStruct.bytes;
import static dev.vmm.core.abi.CStruct.struct;
import static dev.vmm.core.abi.CStruct.u16;
import static dev.vmm.core.abi.CStruct.u32;
import static dev.vmm.core.abi.CStruct.u64;
import static dev.vmm.core.abi.CStruct.u8;

import dev.vmm.core.abi.CName;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

/**
 * The KVM_MEMORY_ENCRYPT_OP structs of arch/x86/include/uapi/asm/kvm.h (naturally aligned, unlike the
 * packed /dev/sev ones): the {@code kvm_sev_cmd} envelope and the sub-command structs its {@code data}
 * points to. Unused inputs stay zero, as the kernel requires of {@code flags} and the padding.
 */
public final class SevLayouts {
    /** Bytes KVM copies from {@code id_block_uaddr} when {@code id_block_en} is set. */
    @CName("KVM_SEV_SNP_ID_BLOCK_SIZE") public static final int SNP_ID_BLOCK_SIZE = 96;
    /** Bytes KVM copies from {@code id_auth_uaddr} when {@code id_block_en} is set. */
    @CName("KVM_SEV_SNP_ID_AUTH_SIZE") public static final int SNP_ID_AUTH_SIZE = 4096;
    /** Size of {@code host_data}, which ends up in every attestation report. */
    @CName("KVM_SEV_SNP_FINISH_DATA_SIZE") public static final int SNP_FINISH_DATA_SIZE = 32;

    /** The envelope; {@code error} is the firmware status, {@code sev_fd} an open {@code /dev/sev}. */
    public static final StructLayout KVM_SEV_CMD = struct("kvm_sev_cmd",
            u32("id"), u32("pad0"), u64("data"), u32("error"), u32("sev_fd"));

    public static final StructLayout KVM_SEV_INIT = struct("kvm_sev_init",
            u64("vmsa_features"), u32("flags"), u16("ghcb_version"), u16("pad1"),
            array("pad2", 8, ValueLayout.JAVA_INT));

    /** {@code handle} is in (0: a new guest) and out (the firmware's handle). */
    public static final StructLayout KVM_SEV_LAUNCH_START = struct("kvm_sev_launch_start",
            u32("handle"), u32("policy"), u64("dh_uaddr"), u32("dh_len"), u32("pad0"),
            u64("session_uaddr"), u32("session_len"), u32("pad1"));

    public static final StructLayout KVM_SEV_LAUNCH_UPDATE_DATA = struct("kvm_sev_launch_update_data",
            u64("uaddr"), u32("len"), u32("pad0"));

    public static final StructLayout KVM_SEV_LAUNCH_SECRET = struct("kvm_sev_launch_secret",
            u64("hdr_uaddr"), u32("hdr_len"), u32("pad0"), u64("guest_uaddr"), u32("guest_len"), u32("pad1"),
            u64("trans_uaddr"), u32("trans_len"), u32("pad2"));

    /** {@code len} is in and out: 0 asks for the blob length, which KVM writes back. */
    public static final StructLayout KVM_SEV_LAUNCH_MEASURE = struct("kvm_sev_launch_measure",
            u64("uaddr"), u32("len"), u32("pad0"));

    public static final StructLayout KVM_SEV_GUEST_STATUS = struct("kvm_sev_guest_status",
            u32("handle"), u32("policy"), u32("state"));

    public static final StructLayout KVM_SEV_SNP_LAUNCH_START = struct("kvm_sev_snp_launch_start",
            u64("policy"), bytes("gosvw", 16), u16("flags"), bytes("pad0", 6), array("pad1", 4, ValueLayout.JAVA_LONG));

    /** In and out: on partial progress KVM advances {@code gfn_start} and {@code uaddr} and shrinks {@code len}. */
    public static final StructLayout KVM_SEV_SNP_LAUNCH_UPDATE = struct("kvm_sev_snp_launch_update",
            u64("gfn_start"), u64("uaddr"), u64("len"), u8("type"), u8("pad0"), u16("flags"), u32("pad1"),
            array("pad2", 4, ValueLayout.JAVA_LONG));

    public static final StructLayout KVM_SEV_SNP_LAUNCH_FINISH = struct("kvm_sev_snp_launch_finish",
            u64("id_block_uaddr"), u64("id_auth_uaddr"), u8("id_block_en"), u8("auth_key_en"), u8("vcek_disabled"),
            bytes("host_data", SNP_FINISH_DATA_SIZE), bytes("pad0", 3), u16("flags"),
            array("pad1", 4, ValueLayout.JAVA_LONG));

    private SevLayouts() {}
}
