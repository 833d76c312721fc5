package dev.vmm.app.machine;

import dev.vmm.core.vcpu.StopReason;

/** The process status each stop reason means, as README documents it. */
public final class ExitStatus {
    /** The guest crashed (triple fault, an instruction KVM could not emulate, an unhandled exit). */
    public static final int GUEST_FAULT = 3;
    /** The VMM itself failed, or its configuration did. */
    public static final int VMM_FAILURE = 1;
    /** A shell's status for a process ended by signal N is 128 + N. */
    private static final int SIGNAL_BASE = 128;

    private ExitStatus() {}

    public static int of(StopReason reason) {
        return switch (reason) {
            // The value the guest wrote, like QEMU's isa-debug-exit but not encoded as (v << 1) | 1.
            case StopReason.GuestExit(int status) -> status;
            // This VMM does not reboot: a reset the guest asked for ends the VM as power-off does.
            case StopReason.PowerOff p -> 0;
            case StopReason.Reset r -> 0;
            case StopReason.HostRequest h -> 0;
            case StopReason.HostSignal(String name, int number) -> SIGNAL_BASE + number;
            case StopReason.GuestFault f -> GUEST_FAULT;
            case StopReason.VmmFailure f -> VMM_FAILURE;
        };
    }
}
