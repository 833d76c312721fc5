package dev.vmm.sev.platform;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import dev.vmm.core.sys.Errno;
import dev.vmm.sev.kvm.SevStruct;
import dev.vmm.sev.psp.FirmwareError;
import dev.vmm.sev.psp.PspException;
import dev.vmm.sev.tcb.TcbLayout;
import dev.vmm.sev.tcb.TcbVersion;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/**
 * {@link SevPlatform} over SEV_ISSUE_CMD: builds each command's struct in native memory, as the kernel
 * expects behind {@code sev_issue_cmd.data}, and reads the answer back from it. Commands that return a
 * blob (PEK_CSR, PDH_CERT_EXPORT, GET_ID2) are asked for their length first, as the kernel allows: the
 * firmware answers a zero-length buffer with INVALID_LEN and writes the length it needs.
 */
public final class DevSevPlatform implements SevPlatform {

    private final SevDevice device;

    public DevSevPlatform(SevDevice device) {
        this.device = device;
    }

    /** The host's {@code /dev/sev}, its TCB layout that of the host CPU's family. */
    public static DevSevPlatform open() {
        return new DevSevPlatform(DevSevDevice.open());
    }

    @Override
    public String description() {
        return device.description();
    }

    @Override
    public boolean isSimulated() {
        return device.isSimulated();
    }

    @Override
    public TcbLayout tcbLayout() {
        return device.tcbLayout();
    }

    @Override
    public PlatformStatus status() {
        try (Arena arena = Arena.ofConfined()) {
            SevStruct s = SevStruct.allocate(arena, PlatformLayouts.SEV_USER_DATA_STATUS);
            run(PlatformCommand.SEV_PLATFORM_STATUS, s.address(), null);
            return new PlatformStatus((int) s.get("api_major"), (int) s.get("api_minor"),
                    PlatformState.of(s.get("state")), (int) s.get("flags"), (int) s.get("build"), s.get("guest_count"));
        }
    }

    @Override
    public SnpPlatformStatus snpStatus() {
        try (Arena arena = Arena.ofConfined()) {
            SevStruct s = SevStruct.allocate(arena, PlatformLayouts.SEV_USER_DATA_SNP_STATUS);
            run(PlatformCommand.SNP_PLATFORM_STATUS, s.address(), null);
            TcbLayout layout = device.tcbLayout();
            return new SnpPlatformStatus((int) s.get("api_major"), (int) s.get("api_minor"), (int) s.get("state"),
                    s.get("is_rmp_initialized") != 0, s.get("build_id"), s.get("mask_chip_id") != 0,
                    s.get("mask_chip_key") != 0, s.get("vlek_en") != 0, s.get("guest_count"),
                    TcbVersion.of(s.get("current_tcb_version"), layout), TcbVersion.of(s.get("reported_tcb_version"), layout));
        }
    }

    @Override
    public void factoryReset() {
        run(PlatformCommand.SEV_FACTORY_RESET, 0, null);
    }

    @Override
    public void pekGen() {
        run(PlatformCommand.SEV_PEK_GEN, 0, null);
    }

    @Override
    public void pdhGen() {
        run(PlatformCommand.SEV_PDH_GEN, 0, null);
    }

    @Override
    public byte[] pekCsr() {
        return fetchBlob(PlatformCommand.SEV_PEK_CSR, PlatformLayouts.SEV_USER_DATA_PEK_CSR);
    }

    @Override
    public PdhCertExport pdhCertExport() {
        try (Arena arena = Arena.ofConfined()) {
            SevStruct ex = SevStruct.allocate(arena, PlatformLayouts.SEV_USER_DATA_PDH_CERT_EXPORT);
            Outcome query = call(PlatformCommand.SEV_PDH_CERT_EXPORT, ex.address());
            long pdhLen = ex.get("pdh_cert_len");
            long chainLen = ex.get("cert_chain_len");
            requireLengths(PlatformCommand.SEV_PDH_CERT_EXPORT, query, pdhLen, chainLen);
            MemorySegment pdh = arena.allocate(pdhLen);
            MemorySegment chain = arena.allocate(chainLen);
            ex.put("pdh_cert_address", pdh.address()).put("pdh_cert_len", pdhLen)
                    .put("cert_chain_address", chain.address()).put("cert_chain_len", chainLen);
            run(PlatformCommand.SEV_PDH_CERT_EXPORT, ex.address(), pdhLen + " + " + chainLen + " bytes");
            return new PdhCertExport(pdh.asSlice(0, Math.min(pdhLen, ex.get("pdh_cert_len"))).toArray(JAVA_BYTE),
                    chain.asSlice(0, Math.min(chainLen, ex.get("cert_chain_len"))).toArray(JAVA_BYTE));
        }
    }

    @Override
    public void pekCertImport(byte[] pekCert, byte[] ocaCert) {
        try (Arena arena = Arena.ofConfined()) {
            SevStruct in = SevStruct.allocate(arena, PlatformLayouts.SEV_USER_DATA_PEK_CERT_IMPORT)
                    .put("pek_cert_address", arena.allocateFrom(JAVA_BYTE, pekCert).address())
                    .put("pek_cert_len", pekCert.length)
                    .put("oca_cert_address", arena.allocateFrom(JAVA_BYTE, ocaCert).address())
                    .put("oca_cert_len", ocaCert.length);
            run(PlatformCommand.SEV_PEK_CERT_IMPORT, in.address(), null);
        }
    }

    @Override
    public byte[] getId() {
        return fetchBlob(PlatformCommand.SEV_GET_ID2, PlatformLayouts.SEV_USER_DATA_GET_ID2);
    }

    /**
     * A command that fills a buffer described by {address, length}: the first call with length 0 learns
     * the length the firmware needs, the second fetches that many bytes.
     */
    private byte[] fetchBlob(PlatformCommand command, StructLayout layout) {
        try (Arena arena = Arena.ofConfined()) {
            SevStruct req = SevStruct.allocate(arena, layout);
            long len = lengthQuery(command, req, "length");
            MemorySegment blob = arena.allocate(len);
            req.put("address", blob.address()).put("length", len);
            run(command, req.address(), len + " bytes");
            return blob.asSlice(0, Math.min(len, req.get("length"))).toArray(JAVA_BYTE);
        }
    }

    @Override
    public void snpCommit() {
        run(PlatformCommand.SNP_COMMIT, 0, null);
    }

    @Override
    public void snpSetConfig(SnpConfig config) {
        TcbLayout layout = device.tcbLayout();
        if (config.reportedTcb().layout() != layout) {
            // Its raw bytes would put the SPLs where this firmware does not read them.
            throw new PlatformException("reported TCB " + config.reportedTcb().describe() + " is not in this platform's "
                    + layout.label() + " layout");
        }
        try (Arena arena = Arena.ofConfined()) {
            SevStruct c = SevStruct.allocate(arena, PlatformLayouts.SEV_USER_DATA_SNP_CONFIG)
                    .put("reported_tcb", config.reportedTcb().raw())
                    .put("mask_chip_id", config.maskChipId() ? 1 : 0)
                    .put("mask_chip_key", config.maskChipKey() ? 1 : 0);
            run(PlatformCommand.SNP_SET_CONFIG, c.address(), "reported TCB " + config.reportedTcb().describe());
        }
    }

    @Override
    public void vlekLoad(byte[] wrappedHashstick) {
        long size = PlatformLayouts.SEV_USER_DATA_SNP_WRAPPED_VLEK_HASHSTICK.byteSize();
        if (wrappedHashstick.length != size) {
            throw new PspException(PlatformCommand.SNP_VLEK_LOAD.name(), Errno.EINVAL, 0,
                    "a wrapped VLEK hashstick is " + size + " bytes, got " + wrappedHashstick.length);
        }
        try (Arena arena = Arena.ofConfined()) {
            SevStruct load = SevStruct.allocate(arena, PlatformLayouts.SEV_USER_DATA_SNP_VLEK_LOAD)
                    .put("len", PlatformLayouts.SEV_USER_DATA_SNP_VLEK_LOAD.byteSize())
                    .put("vlek_wrapped_version", 0)
                    .put("vlek_wrapped_address", arena.allocateFrom(JAVA_BYTE, wrappedHashstick).address());
            Outcome o = call(PlatformCommand.SNP_VLEK_LOAD, load.address());
            if (o.failed()) {
                throw o.result() == -Errno.EINVAL && o.firmwareError() == 0 ? o.exception(vlekLoadEinvalCause())
                        : o.exception(null);
            }
        }
    }

    /**
     * Why the kernel refused SNP_VLEK_LOAD with EINVAL before calling the firmware, with this struct
     * well-formed: SNP is not initialised, or the kernel lacks the 2025 fix that gave SNP_VLEK_LOAD a
     * buffer length in sev_cmd_buffer_len() (plain 6.12 does). SNP_PLATFORM_STATUS tells them apart.
     */
    private String vlekLoadEinvalCause() {
        String fix = "the kernel lacks \"crypto: ccp - Fix checks for SNP_VLEK_LOAD input buffer length\" (mainline "
                + "2025; Linux 6.12 has it only as a backport) and refused before calling the firmware: dmesg then "
                + "shows a WARNING in __sev_do_cmd_locked";
        Outcome probe;
        try (Arena arena = Arena.ofConfined()) {
            probe = call(PlatformCommand.SNP_PLATFORM_STATUS,
                    SevStruct.allocate(arena, PlatformLayouts.SEV_USER_DATA_SNP_STATUS).address());
        }
        if (!probe.failed()) {
            return "SNP is initialised (SNP_PLATFORM_STATUS answers), so " + fix;
        }
        if (probe.result() == -Errno.EINVAL && probe.firmwareError() == 0) {
            return "SNP is not initialised (SNP_PLATFORM_STATUS is refused with EINVAL too)";
        }
        return "either SNP is not initialised, or " + fix;
    }

    @Override
    public void close() {
        device.close();
    }

    /** The blob length a command needs: its answer to a call with a zero length. */
    private long lengthQuery(PlatformCommand command, SevStruct data, String lengthMember) {
        Outcome query = call(command, data.address());
        long len = data.get(lengthMember);
        requireLengths(command, query, len);
        return len;
    }

    private static void requireLengths(PlatformCommand command, Outcome query, long... lengths) {
        for (long len : lengths) {
            if (len == 0 || len > PlatformLayouts.FW_BLOB_MAX_SIZE) {
                if (query.failed() && query.firmwareError() != FirmwareError.INVALID_LEN.code()) {
                    throw query.exception("length query");
                }
                throw new PspException(command.name(), 0, 0, "the length query answered " + len + " bytes");
            }
        }
    }

    private void run(PlatformCommand command, long data, String detail) {
        Outcome o = call(command, data);
        if (o.failed()) {
            throw o.exception(detail);
        }
    }

    private Outcome call(PlatformCommand command, long data) {
        try (Arena arena = Arena.ofConfined()) {
            SevStruct cmd = SevStruct.allocate(arena, PlatformLayouts.SEV_ISSUE_CMD_STRUCT)
                    .put("cmd", command.id()).put("data", data);
            int result = device.issueCmd(cmd.segment());
            int error = (int) cmd.get("error");
            // SEV_RET_NO_FW_CALL (-1): the driver failed before reaching the firmware.
            return new Outcome(command, result, error == -1 ? 0 : error);
        }
    }

    private record Outcome(PlatformCommand command, int result, int firmwareError) {
        boolean failed() {
            return result < 0;
        }

        PspException exception(String detail) {
            return new PspException(command.name(), failed() ? -result : 0, firmwareError, detail);
        }
    }
}
