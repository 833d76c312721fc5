package dev.vmm.sev.kvm;

import java.lang.foreign.MemorySegment;

/**
 * The kernel side of {@code KvmPsp}: KVM_MEMORY_ENCRYPT_OP on the VM fd, with a {@code /dev/sev} fd
 * in every command. The real transport is {@link KvmSevTransport}; tests record the calls instead.
 */
public interface SevTransport {
    /**
     * Issues KVM_MEMORY_ENCRYPT_OP with a {@code struct kvm_sev_cmd}; returns the ioctl's result, or
     * {@code -errno}. The kernel writes the firmware status into the struct's {@code error} field.
     */
    int encryptOp(MemorySegment kvmSevCmd);

    /** The {@code /dev/sev} fd number that goes into {@code kvm_sev_cmd.sev_fd}. */
    int sevFd();
}
