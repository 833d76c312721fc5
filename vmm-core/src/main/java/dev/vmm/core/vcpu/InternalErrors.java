package dev.vmm.core.vcpu;

import dev.vmm.core.abi.CName;

/** {@code internal.suberror} and {@code system_event.type} values of linux/kvm.h, with their names. */
public final class InternalErrors {
    @CName("KVM_INTERNAL_ERROR_EMULATION") public static final int EMULATION = 1;
    @CName("KVM_INTERNAL_ERROR_SIMUL_EX") public static final int SIMUL_EX = 2;
    @CName("KVM_INTERNAL_ERROR_DELIVERY_EV") public static final int DELIVERY_EV = 3;
    @CName("KVM_INTERNAL_ERROR_UNEXPECTED_EXIT_REASON") public static final int UNEXPECTED_EXIT_REASON = 4;

    @CName("KVM_SYSTEM_EVENT_SHUTDOWN") public static final int SYSTEM_EVENT_SHUTDOWN = 1;
    @CName("KVM_SYSTEM_EVENT_RESET") public static final int SYSTEM_EVENT_RESET = 2;
    @CName("KVM_SYSTEM_EVENT_CRASH") public static final int SYSTEM_EVENT_CRASH = 3;
    @CName("KVM_SYSTEM_EVENT_WAKEUP") public static final int SYSTEM_EVENT_WAKEUP = 4;
    @CName("KVM_SYSTEM_EVENT_SUSPEND") public static final int SYSTEM_EVENT_SUSPEND = 5;
    @CName("KVM_SYSTEM_EVENT_SEV_TERM") public static final int SYSTEM_EVENT_SEV_TERM = 6;

    private InternalErrors() {}

    public static String suberrorName(int suberror) {
        return switch (suberror) {
            case EMULATION -> "KVM_INTERNAL_ERROR_EMULATION (the instruction emulator failed)";
            case SIMUL_EX -> "KVM_INTERNAL_ERROR_SIMUL_EX (exception while delivering an exception)";
            case DELIVERY_EV -> "KVM_INTERNAL_ERROR_DELIVERY_EV (exit while delivering an event)";
            case UNEXPECTED_EXIT_REASON -> "KVM_INTERNAL_ERROR_UNEXPECTED_EXIT_REASON";
            default -> "suberror " + suberror;
        };
    }

    public static String systemEventName(int type) {
        return switch (type) {
            case SYSTEM_EVENT_SHUTDOWN -> "SHUTDOWN";
            case SYSTEM_EVENT_RESET -> "RESET";
            case SYSTEM_EVENT_CRASH -> "CRASH";
            case SYSTEM_EVENT_WAKEUP -> "WAKEUP";
            case SYSTEM_EVENT_SUSPEND -> "SUSPEND";
            case SYSTEM_EVENT_SEV_TERM -> "SEV_TERM";
            default -> "type " + type;
        };
    }
}
