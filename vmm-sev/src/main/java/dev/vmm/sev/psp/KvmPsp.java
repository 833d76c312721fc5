package dev.vmm.sev.psp;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import dev.vmm.core.sys.Errno;
import dev.vmm.sev.SevMode;
import dev.vmm.sev.kvm.SevCmdId;
import dev.vmm.sev.kvm.SevLayouts;
import dev.vmm.sev.kvm.SevStruct;
import dev.vmm.sev.kvm.SevTransport;
import dev.vmm.sev.measure.PageType;
import dev.vmm.sev.vmsa.LaunchVcpuState;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * The real PSP: each command is a KVM_MEMORY_ENCRYPT_OP on the VM fd, which KVM turns into firmware
 * calls through {@code /dev/sev} (arch/x86/kvm/svm/sev.c). Buffers the kernel reads (certificates,
 * ID block, host data) are native copies that live for one call only; KVM copies them in. Guest
 * memory is passed by its host address: SEV encrypts it in place, SNP copies it into guest_memfd.
 *
 * <p>The vCPU lists of {@link #launchUpdateVmsa} and {@link #snpLaunchFinish} are only checked to be
 * non-empty: KVM builds each VMSA from the vCPU's real register state, not from what the VMM models.
 */
public final class KvmPsp implements Psp {
    /**
     * LAUNCH_UPDATE_DATA ranges are cut into pieces that fit {@code len} ({@code __u32}); consecutive
     * pieces extend the digest as one range would (KVM itself splits at every physical discontinuity).
     */
    static final long MAX_UPDATE_DATA = 1L << 30;

    private final SevOp op;
    private final boolean legacyInit;
    private boolean closed;

    /** For a VM created with its confidential type (KVM 6.10+): KVM_SEV_INIT2. */
    public KvmPsp(SevTransport transport) {
        this(transport, false);
    }

    /**
     * @param legacyInit for a VM of the default type on kernels without SEV VM types: KVM_SEV_INIT or
     *     KVM_SEV_ES_INIT instead of KVM_SEV_INIT2 (no SNP, no VMSA features)
     */
    public KvmPsp(SevTransport transport, boolean legacyInit) {
        this.op = new SevOp(transport);
        this.legacyInit = legacyInit;
    }

    /**
     * Whether the VM was initialised the legacy way. Then KVM leaves the x87/SSE/AVX area of each
     * SEV-ES VMSA zero (to keep older measurements valid), which the expected digest must model.
     */
    public boolean legacyInit() {
        return legacyInit;
    }

    @Override
    public String description() {
        return "KVM (/dev/sev)" + (legacyInit ? ", legacy KVM_SEV_INIT on a default-type VM" : "");
    }

    @Override
    public boolean isSimulated() {
        return false;
    }

    @Override
    public void init(SevMode mode, long vmsaFeatures) {
        open();
        if (legacyInit) {
            if (mode == SevMode.SEV_SNP || vmsaFeatures != 0) {
                throw new IllegalArgumentException("the legacy KVM_SEV_INIT/KVM_SEV_ES_INIT cannot make "
                        + (vmsaFeatures != 0 ? "VMSA features" : "an SNP guest") + "; that needs KVM_SEV_INIT2");
            }
            op.run(mode == SevMode.SEV ? SevCmdId.INIT : SevCmdId.ES_INIT, null,
                    mode.runName() + " on a default-type VM");
            return;
        }
        try (Arena arena = Arena.ofConfined()) {
            // flags must be 0; ghcb_version 0 lets KVM pick (2 for SEV-ES and SNP).
            SevStruct init = SevStruct.allocate(arena, SevLayouts.KVM_SEV_INIT).put("vmsa_features", vmsaFeatures);
            op.run(SevCmdId.INIT2, init, String.format("%s, vmsa_features 0x%x", mode.runName(), vmsaFeatures));
        }
    }

    // SEV and SEV-ES.

    @Override
    public void launchStart(int policy, byte[] guestOwnerDhCert, byte[] session) {
        open();
        try (Arena arena = Arena.ofConfined()) {
            SevStruct start = SevStruct.allocate(arena, SevLayouts.KVM_SEV_LAUNCH_START).put("policy", policy);
            if (guestOwnerDhCert != null && guestOwnerDhCert.length > 0) {
                start.put("dh_uaddr", copy(arena, guestOwnerDhCert).address()).put("dh_len", guestOwnerDhCert.length);
            }
            if (session != null && session.length > 0) {
                start.put("session_uaddr", copy(arena, session).address()).put("session_len", session.length);
            }
            op.run(SevCmdId.LAUNCH_START, start, String.format("policy 0x%x", policy));
        }
    }

    @Override
    public void launchUpdateData(long gpa, MemorySegment range) {
        open();
        if (range.byteSize() == 0) {
            throw new PspException(SevCmdId.LAUNCH_UPDATE_DATA.cName(), Errno.EINVAL, 0,
                    "empty range at gpa 0x" + Long.toHexString(gpa));
        }
        try (Arena arena = Arena.ofConfined()) {
            SevStruct update = SevStruct.allocate(arena, SevLayouts.KVM_SEV_LAUNCH_UPDATE_DATA);
            for (long off = 0; off < range.byteSize(); off += MAX_UPDATE_DATA) {
                long len = Math.min(MAX_UPDATE_DATA, range.byteSize() - off);
                update.put("uaddr", range.address() + off).put("len", len);
                op.run(SevCmdId.LAUNCH_UPDATE_DATA, update, String.format("gpa 0x%x, 0x%x bytes", gpa + off, len));
            }
        }
    }

    @Override
    public void launchUpdateVmsa(List<LaunchVcpuState> vcpus) {
        open();
        requireVcpus(SevCmdId.LAUNCH_UPDATE_VMSA, vcpus);
        op.run(SevCmdId.LAUNCH_UPDATE_VMSA, null, vcpus.size() + " vCPUs");
    }

    /** First asks for the blob's length (KVM writes it back even when the firmware calls the query an error). */
    @Override
    public byte[] launchMeasure() {
        open();
        try (Arena arena = Arena.ofConfined()) {
            SevStruct measure = SevStruct.allocate(arena, SevLayouts.KVM_SEV_LAUNCH_MEASURE);
            SevOp.Outcome query = op.call(SevCmdId.LAUNCH_MEASURE, measure);
            long len = measure.get("len");
            if (len == 0) {
                if (query.failed()) {
                    throw query.exception("length query");
                }
                throw new IllegalStateException(SevCmdId.LAUNCH_MEASURE.cName() + ": the length query gave 0 bytes");
            }
            MemorySegment blob = arena.allocate(len);
            measure.put("uaddr", blob.address()).put("len", len);
            op.run(SevCmdId.LAUNCH_MEASURE, measure, "fetching " + len + " bytes");
            return blob.asSlice(0, Math.min(len, measure.get("len"))).toArray(JAVA_BYTE);
        }
    }

    /** The guest range gets {@code secret.length} bytes, as QEMU passes them ({@code guest_len = trans_len}). */
    @Override
    public void launchSecret(byte[] header, byte[] secret, long gpa, MemorySegment guestRange) {
        open();
        String cmd = SevCmdId.LAUNCH_SECRET.cName();
        if (header == null || header.length == 0 || secret == null || secret.length == 0) {
            throw new PspException(cmd, Errno.EINVAL, 0, "the packet header and the secret are both needed");
        }
        if (guestRange.byteSize() < secret.length) {
            throw new PspException(cmd, Errno.EINVAL, 0, String.format("a %d-byte secret in %d bytes at gpa 0x%x",
                    secret.length, guestRange.byteSize(), gpa));
        }
        try (Arena arena = Arena.ofConfined()) {
            SevStruct s = SevStruct.allocate(arena, SevLayouts.KVM_SEV_LAUNCH_SECRET)
                    .put("hdr_uaddr", copy(arena, header).address()).put("hdr_len", header.length)
                    .put("guest_uaddr", guestRange.address()).put("guest_len", secret.length)
                    .put("trans_uaddr", copy(arena, secret).address()).put("trans_len", secret.length);
            op.run(SevCmdId.LAUNCH_SECRET, s, String.format("%d bytes at gpa 0x%x", secret.length, gpa));
        }
    }

    @Override
    public void launchFinish() {
        open();
        op.run(SevCmdId.LAUNCH_FINISH, null, null);
    }

    @Override
    public GuestStatus guestStatus() {
        open();
        try (Arena arena = Arena.ofConfined()) {
            SevStruct s = SevStruct.allocate(arena, SevLayouts.KVM_SEV_GUEST_STATUS);
            op.run(SevCmdId.GUEST_STATUS, s, null);
            return new GuestStatus((int) s.get("handle"), (int) s.get("policy"), (int) s.get("state"));
        }
    }

    // SEV-SNP.

    @Override
    public void snpLaunchStart(long policy, byte[] gosvw) {
        open();
        if (gosvw != null && gosvw.length != 16) {
            throw new PspException(SevCmdId.SNP_LAUNCH_START.cName(), Errno.EINVAL, 0, "gosvw must be 16 bytes");
        }
        try (Arena arena = Arena.ofConfined()) {
            SevStruct start = SevStruct.allocate(arena, SevLayouts.KVM_SEV_SNP_LAUNCH_START).put("policy", policy);
            if (gosvw != null) {
                start.putBytes("gosvw", gosvw);
            }
            op.run(SevCmdId.SNP_LAUNCH_START, start, String.format("policy 0x%x", policy));
        }
    }

    @Override
    public void snpLaunchUpdate(long gpa, MemorySegment source, long length, PageType type) {
        open();
        SnpLaunchUpdate.run(op, gpa, source, length, type);
    }

    @Override
    public void snpLaunchFinish(List<LaunchVcpuState> vcpus, byte[] idBlock, byte[] idAuth, boolean authorKey,
                                byte[] hostData) {
        open();
        String cmd = SevCmdId.SNP_LAUNCH_FINISH.cName();
        requireVcpus(SevCmdId.SNP_LAUNCH_FINISH, vcpus);
        String problem = null;
        if (idBlock != null && (idBlock.length != SevLayouts.SNP_ID_BLOCK_SIZE || idAuth == null
                || idAuth.length != SevLayouts.SNP_ID_AUTH_SIZE)) {
            problem = "an ID block must be " + SevLayouts.SNP_ID_BLOCK_SIZE + " bytes with an ID auth of "
                    + SevLayouts.SNP_ID_AUTH_SIZE;
        } else if (idBlock == null && (idAuth != null || authorKey)) {
            problem = "an ID auth or author key without an ID block (KVM would ignore it)";
        } else if (hostData != null && hostData.length != SevLayouts.SNP_FINISH_DATA_SIZE) {
            problem = "host data must be " + SevLayouts.SNP_FINISH_DATA_SIZE + " bytes";
        }
        if (problem != null) {
            throw new PspException(cmd, Errno.EINVAL, 0, problem);
        }
        try (Arena arena = Arena.ofConfined()) {
            SevStruct finish = SevStruct.allocate(arena, SevLayouts.KVM_SEV_SNP_LAUNCH_FINISH);
            if (idBlock != null) {
                finish.put("id_block_uaddr", copy(arena, idBlock).address())
                        .put("id_auth_uaddr", copy(arena, idAuth).address())
                        .put("id_block_en", 1)
                        .put("auth_key_en", authorKey ? 1 : 0);
            }
            if (hostData != null) {
                finish.putBytes("host_data", hostData);
            }
            op.run(SevCmdId.SNP_LAUNCH_FINISH, finish,
                    vcpus.size() + " vCPUs" + (idBlock != null ? ", with an ID block" : ""));
        }
    }

    /** Nothing native outlives a command; closing only refuses further commands. */
    @Override
    public void close() {
        closed = true;
    }

    private void open() {
        if (closed) {
            throw new IllegalStateException("the PSP backend is closed");
        }
    }

    private static void requireVcpus(SevCmdId id, List<LaunchVcpuState> vcpus) {
        if (vcpus.isEmpty()) {
            throw new PspException(id.cName(), Errno.EINVAL, 0, "the VM has no vCPU");
        }
    }

    private static MemorySegment copy(Arena arena, byte[] bytes) {
        return arena.allocateFrom(JAVA_BYTE, bytes);
    }
}
