package dev.vmm.firmware.ovmf;

/**
 * GUIDs of the OVMF footer table and of the entries a VMM reads from it. They are defined in edk2
 * {@code OvmfPkg/ResetVector/Ia16/ResetVectorVtf0.asm} and looked up by QEMU
 * ({@code hw/i386/pc_sysfw_ovmf.c}, {@code target/i386/sev.c}).
 */
public final class OvmfGuids {
    /** Ends the table; sits 48 bytes before the end of the image. */
    public static final Guid TABLE_FOOTER = Guid.parse("96b582de-1fb2-45f7-baea-a366c55a082d");
    /** SEV-ES reset block ("SEV info block" in QEMU): u32 AP reset address. */
    public static final Guid SEV_ES_RESET_BLOCK = Guid.parse("00f771de-1a7e-4fcb-890e-68c77e2fb44e");
    /** u32 offset, from the end of the image, of the 'ASEV' metadata. */
    public static final Guid SEV_METADATA = Guid.parse("dc886566-984a-4798-a75e-5585a7bf67cc");
    /** SEV hashes table area: u32 base, u32 size (zero unless an AmdSev build). */
    public static final Guid SEV_HASH_TABLE_BLOCK = Guid.parse("7255371f-3a3b-4b04-927b-1da6efa8d454");
    /** SEV launch secret area: u32 base, u32 size (zero unless an AmdSev build). */
    public static final Guid SEV_SECRET_BLOCK = Guid.parse("4c2eb361-7d9b-4cc3-8081-127c90d3d294");
    /**
     * u32 offset of Intel TDX metadata ('TDVF'). edk2 and QEMU's {@code hw/i386/tdvf.c} use it for TDX
     * only; an SEV launch keeps it as an opaque entry.
     */
    public static final Guid TDX_METADATA_OFFSET = Guid.parse("e47a6535-984a-4798-865e-4685a7bf8ec2");

    private OvmfGuids() {}
}
