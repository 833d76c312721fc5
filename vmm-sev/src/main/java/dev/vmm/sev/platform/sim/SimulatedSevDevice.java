package dev.vmm.sev.platform.sim;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import dev.vmm.core.sys.Errno;
import dev.vmm.sev.kvm.SevStruct;
import dev.vmm.sev.platform.PdhCertExport;
import dev.vmm.sev.platform.PlatformCommand;
import dev.vmm.sev.platform.PlatformLayouts;
import dev.vmm.sev.platform.PlatformState;
import dev.vmm.sev.platform.PlatformStatus;
import dev.vmm.sev.platform.SevCertificate;
import dev.vmm.sev.platform.SevDevice;
import dev.vmm.sev.platform.SnpPlatformStatus;
import dev.vmm.sev.psp.FirmwareError;
import dev.vmm.sev.tcb.TcbLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/**
 * SIMULATED {@code /dev/sev}: takes the same {@code struct sev_issue_cmd} bytes as the real ioctl, reads
 * the command's struct and buffers through the user pointers in it, and answers as the ccp driver of
 * Linux 6.12 (drivers/crypto/ccp/sev-dev.c, {@code sev_ioctl}) would in front of
 * {@link SimulatedSevFirmware}: EPERM on a read-only open for the commands the kernel checks write
 * access for (see {@link dev.vmm.sev.platform.DevSevDevice}; SNP_COMMIT is not one of them), the
 * implicit INIT before PEK/PDH commands and SHUTDOWN before FACTORY_RESET, EBUSY for FACTORY_RESET while
 * WORKING, EINVAL for SNP commands before SNP_INIT, and EIO with the firmware's status in {@code error}
 * when the firmware refuses.
 *
 * <p>By default it is a kernel with the 2025 fix "crypto: ccp - Fix checks for SNP_VLEK_LOAD input
 * buffer length": plain 6.12 has no SNP_VLEK_LOAD case in {@code sev_cmd_buffer_len()}, so
 * {@code __sev_do_cmd_locked()} warns and answers EINVAL without calling the firmware. The
 * three-argument constructor models that kernel too.
 */
public final class SimulatedSevDevice implements SevDevice {
    private static final int PDH_CHAIN_SIZE = 3 * SevCertificate.SIZE;

    private final SimulatedSevFirmware firmware;
    private final boolean writable;
    private final boolean vlekLoadLengthFixed;

    /** @param writable whether the device counts as opened O_RDWR */
    public SimulatedSevDevice(SimulatedSevFirmware firmware, boolean writable) {
        this(firmware, writable, true);
    }

    /** @param vlekLoadLengthFixed false: a 6.12 kernel without the SNP_VLEK_LOAD buffer length fix */
    public SimulatedSevDevice(SimulatedSevFirmware firmware, boolean writable, boolean vlekLoadLengthFixed) {
        this.firmware = firmware;
        this.writable = writable;
        this.vlekLoadLengthFixed = vlekLoadLengthFixed;
    }

    public SimulatedSevFirmware firmware() {
        return firmware;
    }

    @Override
    public String description() {
        return "simulated /dev/sev (SIMULATED " + firmware.product() + ": no AMD Secure Processor; keys and chip ID are "
                + "the simulator's)";
    }

    @Override
    public boolean isWritable() {
        return writable;
    }

    /** The layout of the CPU generation the simulated chip declares. */
    @Override
    public TcbLayout tcbLayout() {
        return firmware.product().tcbLayout();
    }

    @Override
    public boolean isSimulated() {
        return true;
    }

    @Override
    public void close() {}

    @Override
    public int issueCmd(MemorySegment sevIssueCmd) {
        SevStruct cmd = SevStruct.at(sevIssueCmd, PlatformLayouts.SEV_ISSUE_CMD_STRUCT);
        PlatformCommand command = PlatformCommand.of(cmd.get("cmd"));
        if (command == null) {
            return -Errno.EINVAL;
        }
        long data = cmd.get("data");
        try {
            return dispatch(command, data);
        } catch (FirmwareFault f) {
            cmd.put("error", f.status().code());
            return -Errno.EIO;
        } catch (KernelError e) {
            return -e.errno;
        }
    }

    private int dispatch(PlatformCommand command, long data) {
        switch (command) {
            case SEV_FACTORY_RESET -> {
                needWritable();
                if (firmware.state() == PlatformState.WORKING) {
                    throw new KernelError(Errno.EBUSY);
                }
                if (firmware.state() == PlatformState.INIT) {
                    firmware.shutdown();
                }
                firmware.factoryReset();
            }
            case SEV_PLATFORM_STATUS -> {
                PlatformStatus s = firmware.platformStatus();
                user(data, PlatformLayouts.SEV_USER_DATA_STATUS).put("api_major", s.apiMajor())
                        .put("api_minor", s.apiMinor()).put("state", s.state().ordinal()).put("flags", s.flags())
                        .put("build", s.build()).put("guest_count", s.guestCount());
            }
            case SEV_PEK_GEN, SEV_PDH_GEN -> {
                needWritable();
                initIfUninit();
                if (command == PlatformCommand.SEV_PEK_GEN) {
                    firmware.pekGen();
                } else {
                    firmware.pdhGen();
                }
            }
            case SEV_PEK_CSR -> {
                needWritable();
                SevStruct in = user(data, PlatformLayouts.SEV_USER_DATA_PEK_CSR);
                long address = in.get("address");
                long length = in.get("length");
                boolean query = address == 0 || length == 0;
                if (!query && length > PlatformLayouts.FW_BLOB_MAX_SIZE) {
                    throw new KernelError(Errno.EFAULT);
                }
                initIfUninit();
                byte[] csr = firmware.pekCsr().encode();
                in.put("length", csr.length);
                if (query || length < csr.length) {
                    throw new FirmwareFault(FirmwareError.INVALID_LEN, "the CSR needs " + csr.length + " bytes");
                }
                copyOut(address, csr);
            }
            case SEV_PDH_CERT_EXPORT -> {
                if (firmware.state() == PlatformState.UNINIT) {
                    needWritable();
                    firmware.init();
                }
                SevStruct in = user(data, PlatformLayouts.SEV_USER_DATA_PDH_CERT_EXPORT);
                long pdhAddress = in.get("pdh_cert_address");
                long pdhLen = in.get("pdh_cert_len");
                long chainAddress = in.get("cert_chain_address");
                long chainLen = in.get("cert_chain_len");
                boolean query = pdhAddress == 0 || pdhLen == 0 || chainAddress == 0;
                if (!query && (pdhLen > PlatformLayouts.FW_BLOB_MAX_SIZE || chainLen > PlatformLayouts.FW_BLOB_MAX_SIZE)) {
                    throw new KernelError(Errno.EFAULT);
                }
                PdhCertExport export = firmware.pdhCertExport();
                in.put("pdh_cert_len", export.pdh().length).put("cert_chain_len", export.chain().length);
                if (query || pdhLen < export.pdh().length || chainLen < PDH_CHAIN_SIZE) {
                    throw new FirmwareFault(FirmwareError.INVALID_LEN, "PDH and chain need "
                            + export.pdh().length + " and " + export.chain().length + " bytes");
                }
                copyOut(pdhAddress, export.pdh());
                copyOut(chainAddress, export.chain());
            }
            case SEV_PEK_CERT_IMPORT -> {
                needWritable();
                SevStruct in = user(data, PlatformLayouts.SEV_USER_DATA_PEK_CERT_IMPORT);
                byte[] pek = copyIn(in.get("pek_cert_address"), in.get("pek_cert_len"));
                byte[] oca = copyIn(in.get("oca_cert_address"), in.get("oca_cert_len"));
                initIfUninit();
                firmware.pekCertImport(pek, oca);
            }
            case SEV_GET_ID -> user(data, PlatformLayouts.SEV_USER_DATA_GET_ID).putBytes("socket1", firmware.getId());
            case SEV_GET_ID2 -> {
                SevStruct in = user(data, PlatformLayouts.SEV_USER_DATA_GET_ID2);
                long address = in.get("address");
                long length = in.get("length");
                byte[] id = firmware.getId();
                in.put("length", id.length);
                if (address == 0 || length < id.length) {
                    throw new FirmwareFault(FirmwareError.INVALID_LEN, "the ID needs " + id.length + " bytes");
                }
                copyOut(address, id);
            }
            case SNP_PLATFORM_STATUS -> {
                needSnp(data, true);
                SnpPlatformStatus s = firmware.snpPlatformStatus();
                user(data, PlatformLayouts.SEV_USER_DATA_SNP_STATUS).put("api_major", s.apiMajor())
                        .put("api_minor", s.apiMinor()).put("state", s.state())
                        .put("is_rmp_initialized", s.rmpInitialized() ? 1 : 0).put("build_id", s.buildId())
                        .put("mask_chip_id", s.maskChipId() ? 1 : 0).put("mask_chip_key", s.maskChipKey() ? 1 : 0)
                        .put("vlek_en", s.vlekEnabled() ? 1 : 0).put("guest_count", s.guestCount())
                        .put("current_tcb_version", s.currentTcb().raw())
                        .put("reported_tcb_version", s.reportedTcb().raw());
            }
            case SNP_COMMIT -> {
                needSnp(data, false);
                firmware.snpCommit();
            }
            case SNP_SET_CONFIG -> {
                needSnp(data, true);
                needWritable();
                SevStruct c = user(data, PlatformLayouts.SEV_USER_DATA_SNP_CONFIG);
                boolean reserved = c.get("rsvd") != 0 || !allZero(c.getBytes("rsvd1"));
                firmware.snpConfig(c.get("reported_tcb"), c.get("mask_chip_id") != 0, c.get("mask_chip_key") != 0,
                        reserved);
            }
            case SNP_VLEK_LOAD -> {
                needSnp(data, true);
                needWritable();
                SevStruct in = user(data, PlatformLayouts.SEV_USER_DATA_SNP_VLEK_LOAD);
                if (in.get("len") != PlatformLayouts.SEV_USER_DATA_SNP_VLEK_LOAD.byteSize()
                        || in.get("vlek_wrapped_version") != 0) {
                    throw new KernelError(Errno.EINVAL);
                }
                byte[] hashstick = copyIn(in.get("vlek_wrapped_address"),
                        PlatformLayouts.SEV_USER_DATA_SNP_WRAPPED_VLEK_HASHSTICK.byteSize());
                if (!vlekLoadLengthFixed) {
                    // WARN_ON_ONCE(!data != !buf_len) in __sev_do_cmd_locked: buffer length 0 for a command with data.
                    throw new KernelError(Errno.EINVAL);
                }
                firmware.vlekLoad(hashstick);
            }
            default -> throw new KernelError(Errno.EINVAL);
        }
        return 0;
    }

    /** The kernel's own INIT before commands that need the platform initialised. */
    private void initIfUninit() {
        if (firmware.state() == PlatformState.UNINIT) {
            firmware.init();
        }
    }

    private void needWritable() {
        if (!writable) {
            throw new KernelError(Errno.EPERM);
        }
    }

    /** Linux 6.12 answers SNP commands with EINVAL when SNP is not initialised or the data pointer is missing. */
    private void needSnp(long data, boolean needsData) {
        if (!firmware.snpInitialized || (needsData && data == 0)) {
            throw new KernelError(Errno.EINVAL);
        }
    }

    /** The struct behind a user pointer; a null pointer is EFAULT, as copy_from_user makes it. */
    private static SevStruct user(long address, StructLayout layout) {
        if (address == 0) {
            throw new KernelError(Errno.EFAULT);
        }
        return SevStruct.at(MemorySegment.ofAddress(address).reinterpret(layout.byteSize()), layout);
    }

    /** psp_copy_user_blob: EINVAL for a null or empty blob, or one above SEV_FW_BLOB_MAX_SIZE. */
    private static byte[] copyIn(long address, long length) {
        if (address == 0 || length == 0 || length > PlatformLayouts.FW_BLOB_MAX_SIZE) {
            throw new KernelError(Errno.EINVAL);
        }
        return MemorySegment.ofAddress(address).reinterpret(length).toArray(JAVA_BYTE);
    }

    private static void copyOut(long address, byte[] bytes) {
        MemorySegment.copy(MemorySegment.ofArray(bytes), 0, MemorySegment.ofAddress(address).reinterpret(bytes.length),
                0, bytes.length);
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    /** The driver refused before (or instead of) calling the firmware. */
    private static final class KernelError extends RuntimeException {
        final int errno;

        KernelError(int errno) {
            super(null, null, false, false);
            this.errno = errno;
        }
    }
}
