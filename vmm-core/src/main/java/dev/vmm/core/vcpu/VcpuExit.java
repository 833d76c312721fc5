package dev.vmm.core.vcpu;

import java.lang.foreign.MemorySegment;

/**
 * Why KVM_RUN returned, decoded from {@code kvm_run}. Data segments point into the vCPU's
 * {@code kvm_run} mapping and are valid until the next KVM_RUN on that vCPU.
 */
public sealed interface VcpuExit {
    /** IN/INS: fill {@code data} ({@code count} items of {@code size} bytes) for the guest. */
    record IoIn(int port, int size, int count, MemorySegment data) implements VcpuExit {}

    /** OUT/OUTS: {@code count} items of {@code size} bytes in {@code data}. */
    record IoOut(int port, int size, int count, MemorySegment data) implements VcpuExit {}

    record MmioRead(long address, MemorySegment data) implements VcpuExit {}

    record MmioWrite(long address, MemorySegment data) implements VcpuExit {}

    /** HLT with no in-kernel LAPIC to wait in. */
    record Hlt() implements VcpuExit {}

    /** KVM_EXIT_SHUTDOWN: on x86 a triple fault. */
    record Shutdown() implements VcpuExit {}

    record FailEntry(long hardwareReason, int cpu) implements VcpuExit {}

    /** {@code instructionBytes} is null when KVM did not supply them (always for SEV-ES/SNP). */
    record InternalError(int suberror, long[] data, byte[] instructionBytes) implements VcpuExit {}

    record SystemEvent(int type, long[] data) implements VcpuExit {}

    record MemoryFault(long flags, long gpa, long size) implements VcpuExit {}

    /** The VMM writes the result with {@link dev.vmm.core.kvm.KvmRun#setHypercallReturn}. */
    record Hypercall(long nr, long[] args, long flags) implements VcpuExit {}

    /** KVM_RUN ended early: a kick (EINTR or KVM_EXIT_INTR). */
    record Interrupted() implements VcpuExit {}

    /** An exit this VMM does not handle; it stops the VM. */
    record Unhandled(int reason, String name, long hardwareReason) implements VcpuExit {}
}
