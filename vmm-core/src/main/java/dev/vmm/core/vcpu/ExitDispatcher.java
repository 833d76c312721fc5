package dev.vmm.core.vcpu;

import dev.vmm.core.abi.CName;
import java.util.HexFormat;

/**
 * The exit dispatcher: a pure function of the exit and the handler, with no access to the vCPU, so
 * it can be tested with synthetic exits. Every exit reason leads somewhere; none is ignored silently.
 */
public final class ExitDispatcher {
    @CName("KVM_MEMORY_EXIT_FLAG_PRIVATE") static final long MEMORY_EXIT_FLAG_PRIVATE = 1L << 3;

    private ExitDispatcher() {}

    public static ExitAction dispatch(VcpuExit exit, ExitHandler handler) {
        return switch (exit) {
            case VcpuExit.IoOut(int port, int size, int count, var data) -> {
                for (int i = 0; i < count; i++) {
                    handler.pioWrite(port, data.asSlice((long) i * size, size));
                }
                yield ExitAction.CONTINUE;
            }
            case VcpuExit.IoIn(int port, int size, int count, var data) -> {
                for (int i = 0; i < count; i++) {
                    handler.pioRead(port, data.asSlice((long) i * size, size));
                }
                yield ExitAction.CONTINUE;
            }
            case VcpuExit.MmioWrite(long address, var data) -> {
                handler.mmioWrite(address, data);
                yield ExitAction.CONTINUE;
            }
            case VcpuExit.MmioRead(long address, var data) -> {
                handler.mmioRead(address, data);
                yield ExitAction.CONTINUE;
            }
            case VcpuExit.Interrupted() -> ExitAction.CONTINUE;
            case VcpuExit.Hlt() -> new ExitAction.Fault("HLT exit without an in-kernel LAPIC",
                    "the VMM always creates the in-kernel irqchip; KVM returned HLT anyway");
            case VcpuExit.Shutdown() -> new ExitAction.Fault("triple fault (KVM_EXIT_SHUTDOWN)", "");
            case VcpuExit.FailEntry(long reason, int cpu) -> new ExitAction.Fault(
                    "VM entry failed (KVM_EXIT_FAIL_ENTRY)",
                    "hardware_entry_failure_reason=0x" + Long.toHexString(reason) + " on host cpu " + cpu);
            case VcpuExit.InternalError(int suberror, long[] data, byte[] insn) -> new ExitAction.Fault(
                    "KVM internal error: " + InternalErrors.suberrorName(suberror), internalErrorDetail(data, insn));
            case VcpuExit.SystemEvent(int type, long[] data) -> systemEvent(type, data);
            case VcpuExit.Hypercall(long nr, long[] args, long flags) ->
                    new ExitAction.HypercallReturn(handler.hypercall(nr, args));
            case VcpuExit.MemoryFault(long flags, long gpa, long size) ->
                    handler.memoryFault(gpa, size, (flags & MEMORY_EXIT_FLAG_PRIVATE) != 0)
                            ? ExitAction.CONTINUE
                            : new ExitAction.Fault("unhandled memory fault (KVM_EXIT_MEMORY_FAULT)",
                                    String.format("gpa=0x%x size=0x%x flags=0x%x (%s access)", gpa, size, flags,
                                            (flags & MEMORY_EXIT_FLAG_PRIVATE) != 0 ? "private" : "shared"));
            case VcpuExit.Unhandled(int reason, String name, long hw) -> new ExitAction.Fault(
                    "exit reason this VMM does not handle: " + name + " (" + reason + ")",
                    hw == 0 ? "" : "hardware_exit_reason=0x" + Long.toHexString(hw));
        };
    }

    private static ExitAction systemEvent(int type, long[] data) {
        return switch (type) {
            case InternalErrors.SYSTEM_EVENT_SHUTDOWN -> new ExitAction.Stop(new StopReason.PowerOff("KVM system event SHUTDOWN"));
            case InternalErrors.SYSTEM_EVENT_RESET -> new ExitAction.Stop(new StopReason.PowerOff("KVM system event RESET"));
            default -> new ExitAction.Fault("KVM system event " + InternalErrors.systemEventName(type),
                    data.length == 0 ? "" : "data: " + hexWords(data));
        };
    }

    private static String internalErrorDetail(long[] data, byte[] insn) {
        String bytes = insn == null ? "instruction bytes: not provided by KVM"
                : insn.length == 0 ? "instruction bytes: none fetched"
                : "instruction bytes: " + HexFormat.ofDelimiter(" ").formatHex(insn);
        return bytes + (data.length == 0 ? "" : "\ninternal.data: " + hexWords(data));
    }

    private static String hexWords(long[] data) {
        StringBuilder sb = new StringBuilder();
        for (long d : data) {
            sb.append(sb.isEmpty() ? "" : " ").append("0x").append(Long.toHexString(d));
        }
        return sb.toString();
    }
}
