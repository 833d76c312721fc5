package dev.vmm.core.vcpu;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Synthetic exits through the pure dispatcher: no KVM needed. */
class ExitDispatcherTest {
    private final List<String> calls = new ArrayList<>();
    private final ExitHandler handler = new ExitHandler() {
        @Override
        public void pioRead(int port, MemorySegment data) {
            calls.add("in " + Integer.toHexString(port) + "/" + data.byteSize());
            data.fill((byte) 0x5a);
        }

        @Override
        public void pioWrite(int port, MemorySegment data) {
            calls.add("out " + Integer.toHexString(port) + "=" + (data.get(JAVA_BYTE, 0) & 0xff));
        }

        @Override
        public void mmioRead(long address, MemorySegment data) {
            calls.add("read " + Long.toHexString(address) + "/" + data.byteSize());
        }

        @Override
        public void mmioWrite(long address, MemorySegment data) {
            calls.add("write " + Long.toHexString(address) + "/" + data.byteSize());
        }

        @Override
        public long hypercall(long nr, long[] args) {
            return nr == 12 ? 0 : HYPERCALL_ENOSYS;
        }
    };

    @Test
    void stringIoIsOneHandlerCallPerItem() {
        MemorySegment data = Arena.ofAuto().allocate(4);
        data.setAtIndex(JAVA_BYTE, 0, (byte) 1);
        data.setAtIndex(JAVA_BYTE, 2, (byte) 3);
        assertThat(ExitDispatcher.dispatch(new VcpuExit.IoOut(0x3f8, 2, 2, data), handler)).isEqualTo(ExitAction.CONTINUE);
        assertThat(calls).containsExactly("out 3f8=1", "out 3f8=3");

        MemorySegment in = Arena.ofAuto().allocate(3);
        ExitDispatcher.dispatch(new VcpuExit.IoIn(0x60, 1, 3, in), handler);
        assertThat(calls).endsWith("in 60/1", "in 60/1", "in 60/1");
        assertThat(in.toArray(JAVA_BYTE)).containsOnly((byte) 0x5a);
    }

    @Test
    void mmioGoesToTheHandlerWithTheAccessWidth() {
        MemorySegment data = Arena.ofAuto().allocate(8);
        ExitDispatcher.dispatch(new VcpuExit.MmioWrite(0xfee00300L, data.asSlice(0, 4)), handler);
        ExitDispatcher.dispatch(new VcpuExit.MmioRead(0xd0000000L, data), handler);
        assertThat(calls).containsExactly("write fee00300/4", "read d0000000/8");
    }

    @Test
    void guestFaultsStopWithAReport() {
        assertThat(ExitDispatcher.dispatch(new VcpuExit.Shutdown(), handler))
                .isEqualTo(new ExitAction.Fault("triple fault (KVM_EXIT_SHUTDOWN)", ""));
        var internal = (ExitAction.Fault) ExitDispatcher.dispatch(
                new VcpuExit.InternalError(InternalErrors.EMULATION, new long[] {1, 0x9b}, new byte[] {(byte) 0x9b, 0x0f}),
                handler);
        assertThat(internal.event()).contains("KVM_INTERNAL_ERROR_EMULATION");
        assertThat(internal.detail()).contains("instruction bytes: 9b 0f");
        var entry = (ExitAction.Fault) ExitDispatcher.dispatch(new VcpuExit.FailEntry(0x80000021L, 3), handler);
        assertThat(entry.detail()).contains("0x80000021").contains("host cpu 3");
        var unknown = (ExitAction.Fault) ExitDispatcher.dispatch(new VcpuExit.Unhandled(37, "KVM_EXIT_NOTIFY", 0), handler);
        assertThat(unknown.event()).contains("KVM_EXIT_NOTIFY (37)");
        var fault = (ExitAction.Fault) ExitDispatcher.dispatch(new VcpuExit.MemoryFault(8, 0x1000, 0x1000), handler);
        assertThat(fault.detail()).contains("gpa=0x1000").contains("private");
    }

    @Test
    void systemEventsPowerOffOrFault() {
        assertThat(ExitDispatcher.dispatch(new VcpuExit.SystemEvent(InternalErrors.SYSTEM_EVENT_SHUTDOWN, new long[0]), handler))
                .isInstanceOfSatisfying(ExitAction.Stop.class,
                        s -> assertThat(s.reason()).isInstanceOf(StopReason.PowerOff.class));
        var crash = (ExitAction.Fault) ExitDispatcher.dispatch(
                new VcpuExit.SystemEvent(InternalErrors.SYSTEM_EVENT_SEV_TERM, new long[] {0x1100}), handler);
        assertThat(crash.event()).contains("SEV_TERM");
        assertThat(crash.detail()).contains("0x1100");
    }

    @Test
    void hypercallsReturnTheHandlersResult() {
        assertThat(ExitDispatcher.dispatch(new VcpuExit.Hypercall(12, new long[6], 1), handler))
                .isEqualTo(new ExitAction.HypercallReturn(0));
        assertThat(ExitDispatcher.dispatch(new VcpuExit.Hypercall(99, new long[6], 1), handler))
                .isEqualTo(new ExitAction.HypercallReturn(ExitHandler.HYPERCALL_ENOSYS));
    }

    @Test
    void kicksJustContinue() {
        assertThat(ExitDispatcher.dispatch(new VcpuExit.Interrupted(), handler)).isEqualTo(ExitAction.CONTINUE);
        assertThat(calls).isEmpty();
    }
}
