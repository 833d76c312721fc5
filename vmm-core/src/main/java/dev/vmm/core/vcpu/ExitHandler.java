package dev.vmm.core.vcpu;

import java.lang.foreign.MemorySegment;

/**
 * The exits the VMM serves in userspace; the application wires it to the buses and, for confidential
 * guests, to vmm-sev. Called on vCPU threads, concurrently for different vCPUs. {@code data} holds one
 * access of 1, 2, 4 or 8 bytes: filled by a read, consumed by a write.
 */
public interface ExitHandler {
    /** {@code KVM_ENOSYS} (linux/kvm_para.h): the hypercall result for "not implemented". */
    long HYPERCALL_ENOSYS = 1000;

    void pioRead(int port, MemorySegment data);

    void pioWrite(int port, MemorySegment data);

    void mmioRead(long address, MemorySegment data);

    void mmioWrite(long address, MemorySegment data);

    /** A hypercall KVM forwarded (only those enabled with KVM_CAP_EXIT_HYPERCALL); returns its result. */
    default long hypercall(long nr, long[] args) {
        return HYPERCALL_ENOSYS;
    }

    /** A KVM_EXIT_MEMORY_FAULT; true if the VMM fixed the cause (converted the range) and the vCPU may retry. */
    default boolean memoryFault(long gpa, long size, boolean toPrivate) {
        return false;
    }
}
