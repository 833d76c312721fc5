package dev.vmm.sev.platform;

import dev.vmm.core.sys.Errno;
import dev.vmm.core.sys.Fd;
import dev.vmm.core.sys.SysException;
import dev.vmm.core.sys.Syscalls;
import dev.vmm.sev.tcb.TcbLayout;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * The real device: {@code /dev/sev} of the ccp driver. Opened read-write when allowed, else read-only.
 * Linux 6.12's {@code sev_ioctl} checks write access per command, not by whether it changes the
 * platform: FACTORY_RESET, PEK_GEN, PDH_GEN, PEK_CERT_IMPORT, SNP_SET_CONFIG, SNP_VLEK_LOAD and also
 * PEK_CSR (which changes nothing) get EPERM on a read-only fd, PDH_CERT_EXPORT only while the platform
 * is UNINIT (the kernel would INIT it); PLATFORM_STATUS, GET_ID, GET_ID2, SNP_PLATFORM_STATUS and
 * SNP_COMMIT (which does change the platform: no rollback below the running firmware) work on either.
 */
public final class DevSevDevice implements SevDevice {
    public static final String PATH = "/dev/sev";

    private final Fd fd;
    private final boolean writable;
    private final Path cpuinfo;
    private TcbLayout tcbLayout;

    private DevSevDevice(Fd fd, boolean writable, Path cpuinfo) {
        this.fd = fd;
        this.writable = writable;
        this.cpuinfo = cpuinfo;
    }

    public static DevSevDevice open() {
        return open(PATH, HostCpuFamily.PROC_CPUINFO);
    }

    /**
     * @param cpuinfo where the host CPU's family is read, which tells the firmware's TCB layout
     * @throws PlatformException naming the path and the way out when it cannot be opened
     */
    public static DevSevDevice open(String path, Path cpuinfo) {
        try {
            return new DevSevDevice(Syscalls.open(path, Syscalls.O_RDWR), true, cpuinfo);
        } catch (SysException e) {
            if (e.errno() == Errno.EACCES || e.errno() == Errno.EPERM) {
                try {
                    return new DevSevDevice(Syscalls.open(path, Syscalls.O_RDONLY), false, cpuinfo);
                } catch (SysException ignored) {
                    // Report the read-write failure: that is the access the user should grant.
                }
            }
            if (e.errno() == Errno.ENOENT) {
                throw new NoSevDeviceException(path + ": " + Errno.describe(e.errno())
                        + ": no SEV firmware driver (ccp) on this host");
            }
            String hint = e.errno() == Errno.EACCES || e.errno() == Errno.EPERM
                    ? "no permission: run as root or grant this user access to " + path
                    : "cannot open the SEV device";
            throw new PlatformException(path + ": " + Errno.describe(e.errno()) + ": " + hint);
        }
    }

    @Override
    public int issueCmd(MemorySegment sevIssueCmd) {
        return Syscalls.ioctlOrErrno(fd, PlatformLayouts.SEV_ISSUE_CMD, sevIssueCmd);
    }

    @Override
    public String description() {
        return PATH + (writable ? "" : " (read-only)");
    }

    @Override
    public boolean isWritable() {
        return writable;
    }

    /** The host CPU generation's layout; read when asked, so that SEV-only hosts never need one. */
    @Override
    public TcbLayout tcbLayout() {
        if (tcbLayout == null) {
            tcbLayout = HostCpuFamily.tcbLayout(cpuinfo);
        }
        return tcbLayout;
    }

    @Override
    public boolean isSimulated() {
        return false;
    }

    @Override
    public void close() {
        fd.close();
    }
}
