package dev.vmm.sev.platform;

import dev.vmm.sev.tcb.TcbLayout;
import java.lang.foreign.MemorySegment;

/**
 * What {@link DevSevPlatform} talks to: SEV_ISSUE_CMD on {@code /dev/sev}. The real one is
 * {@link DevSevDevice}; {@code sim.SimulatedSevDevice} decodes the same struct bytes for hosts without
 * SEV hardware.
 */
public interface SevDevice extends AutoCloseable {
    /**
     * Issues SEV_ISSUE_CMD with a {@code struct sev_issue_cmd}; returns the ioctl's result, or
     * {@code -errno}. The kernel writes the firmware status into the struct's {@code error} field.
     */
    int issueCmd(MemorySegment sevIssueCmd);

    /** For messages; a simulated device says so. */
    String description();

    /** Whether it was opened for writing: the commands that change the platform need it (EPERM otherwise). */
    boolean isWritable();

    /**
     * The TCB_VERSION layout of the firmware behind it, which follows the CPU generation; a
     * {@link PlatformException} when it cannot be told.
     */
    TcbLayout tcbLayout();

    boolean isSimulated();

    @Override
    void close();
}
