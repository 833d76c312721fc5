package dev.vmm.core.kvm;

/** KVM cannot be used on this host; the message says why and what to do. */
public class KvmUnavailableException extends RuntimeException {
    public KvmUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
