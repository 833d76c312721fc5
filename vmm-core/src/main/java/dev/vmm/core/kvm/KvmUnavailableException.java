package dev.vmm.core.kvm;

import dev.vmm.core.VmmException;

/** KVM cannot be used on this host; the message says why and what to do. */
public class KvmUnavailableException extends VmmException {
    public KvmUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
