package dev.vmm.sev.platform.sim;

import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import dev.vmm.sev.platform.PlatformCommand;
import dev.vmm.sev.platform.SevDevice;
import dev.vmm.sev.tcb.TcbLayout;
import java.lang.foreign.MemorySegment;
import java.util.function.Consumer;

/**
 * A kernel or firmware that answers one command differently from the simulated one (an older firmware,
 * a kernel error the simulator has no state for): the simulated device answers, then the patch applies.
 */
public final class PatchedSevDevice implements SevDevice {
    private final SevDevice inner;
    private final PlatformCommand command;
    private final int errno;
    private final long size;
    private final Consumer<MemorySegment> edit;

    private PatchedSevDevice(SevDevice inner, PlatformCommand command, int errno, long size, Consumer<MemorySegment> edit) {
        this.inner = inner;
        this.command = command;
        this.errno = errno;
        this.size = size;
        this.edit = edit;
    }

    /** {@code command} fails with {@code errno} before reaching the firmware. */
    public static SevDevice refusing(SevDevice inner, PlatformCommand command, int errno) {
        return new PatchedSevDevice(inner, command, errno, 0, null);
    }

    /** {@code command}'s answer ({@code size} bytes behind {@code sev_issue_cmd.data}) is edited after it succeeds. */
    public static SevDevice rewriting(SevDevice inner, PlatformCommand command, long size, Consumer<MemorySegment> edit) {
        return new PatchedSevDevice(inner, command, 0, size, edit);
    }

    @Override
    public int issueCmd(MemorySegment cmd) {
        if (cmd.get(JAVA_INT_UNALIGNED, 0) != command.id()) {
            return inner.issueCmd(cmd);
        }
        if (edit == null) {
            return -errno;
        }
        int result = inner.issueCmd(cmd);
        if (result == 0) {
            edit.accept(MemorySegment.ofAddress(cmd.get(JAVA_LONG_UNALIGNED, 4)).reinterpret(size));
        }
        return result;
    }

    @Override
    public String description() {
        return inner.description();
    }

    @Override
    public boolean isSimulated() {
        return inner.isSimulated();
    }

    @Override
    public boolean isWritable() {
        return inner.isWritable();
    }

    @Override
    public TcbLayout tcbLayout() {
        return inner.tcbLayout();
    }

    @Override
    public void close() {
        inner.close();
    }
}
