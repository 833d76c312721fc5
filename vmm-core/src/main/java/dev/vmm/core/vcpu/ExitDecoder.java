package dev.vmm.core.vcpu;

import dev.vmm.core.kvm.ExitReason;
import dev.vmm.core.kvm.KvmRun;

/** Turns the {@code kvm_run} page after KVM_RUN into a {@link VcpuExit}. */
public final class ExitDecoder {
    private static final VcpuExit HLT = new VcpuExit.Hlt();
    private static final VcpuExit SHUTDOWN = new VcpuExit.Shutdown();
    private static final VcpuExit INTERRUPTED = new VcpuExit.Interrupted();

    private ExitDecoder() {}

    public static VcpuExit interrupted() {
        return INTERRUPTED;
    }

    /**
     * The frequent exits are decoded in methods of their own and the rest in {@link #rare}. As one
     * method, with every {@code kvm_run} accessor inlined, its C1 compilation took 9.5 MB of compiler
     * arena (-XX:CompileCommand=memstat): whether a start's peak RSS was 54 or 60 MiB depended on whether
     * C1 reached it before the test guest exited.
     */
    public static VcpuExit decode(KvmRun run) {
        int number = run.exitReason();
        ExitReason reason = ExitReason.of(number);
        if (reason == null) {
            return new VcpuExit.Unhandled(number, "exit reason " + number, 0);
        }
        return switch (reason) {
            case IO -> io(run);
            case MMIO -> mmio(run);
            case HLT -> HLT;
            case SHUTDOWN -> SHUTDOWN;
            case INTR -> INTERRUPTED;
            default -> rare(run, reason, number);
        };
    }

    private static VcpuExit io(KvmRun run) {
        return run.ioIsOut()
                ? new VcpuExit.IoOut(run.ioPort(), run.ioSize(), run.ioCount(), run.ioData())
                : new VcpuExit.IoIn(run.ioPort(), run.ioSize(), run.ioCount(), run.ioData());
    }

    private static VcpuExit mmio(KvmRun run) {
        return run.mmioIsWrite()
                ? new VcpuExit.MmioWrite(run.mmioAddress(), run.mmioData())
                : new VcpuExit.MmioRead(run.mmioAddress(), run.mmioData());
    }

    private static VcpuExit rare(KvmRun run, ExitReason reason, int number) {
        return switch (reason) {
            case FAIL_ENTRY -> new VcpuExit.FailEntry(run.failEntryReason(), run.failEntryCpu());
            case INTERNAL_ERROR -> new VcpuExit.InternalError(run.internalSuberror(), run.internalData(),
                    run.internalSuberror() == InternalErrors.EMULATION ? run.emulationInstructionBytes() : null);
            case SYSTEM_EVENT -> new VcpuExit.SystemEvent(run.systemEventType(), run.systemEventData());
            case MEMORY_FAULT -> new VcpuExit.MemoryFault(run.memoryFaultFlags(), run.memoryFaultGpa(),
                    run.memoryFaultSize());
            case HYPERCALL -> new VcpuExit.Hypercall(run.hypercallNr(), run.hypercallArgs(), run.hypercallFlags());
            case UNKNOWN -> new VcpuExit.Unhandled(number, reason.cName(), run.hardwareExitReason());
            default -> new VcpuExit.Unhandled(number, reason.cName(), 0);
        };
    }
}
