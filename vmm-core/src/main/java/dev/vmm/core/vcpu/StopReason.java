package dev.vmm.core.vcpu;

/** Why a VM stopped. What each reason means to a process (its exit status) is the application's to say. */
public sealed interface StopReason {
    /** One line for the log or the terminal. */
    String summary();

    /** Lines after the summary (register dumps); empty when the summary says it all. */
    default String details() {
        return "";
    }

    /** The guest wrote {@code status} to the debug-exit device. */
    record GuestExit(int status) implements StopReason {
        public String summary() {
            return "guest exited with status " + status;
        }
    }

    /** ACPI power-off or KVM_SYSTEM_EVENT_SHUTDOWN (and, for now, KVM_SYSTEM_EVENT_RESET). */
    record PowerOff(String how) implements StopReason {
        public String summary() {
            return "guest powered off (" + how + ")";
        }
    }

    /**
     * The guest asked for a reset (PIIX3 reset control 0xCF9, port 0x92, the i8042's reset line). This
     * VMM does not reboot: the VM stops, with status 0 because the guest asked for it.
     */
    record Reset(String how) implements StopReason {
        public String summary() {
            return "guest requested a reset (" + how + "); this VMM does not reboot, the VM stopped";
        }
    }

    /** The guest cannot go on: the summary names the event, {@code state} holds its registers. */
    record GuestFault(int vcpu, String event, String detail, VcpuState state) implements StopReason {
        public String summary() {
            return "vcpu" + vcpu + ": " + event + (state == null ? "" : " at RIP 0x"
                    + Long.toHexString(state.regs().rip()) + " in " + state.sregs().cpuMode());
        }

        public String details() {
            String regs = state == null ? "" : state.toString();
            return detail.isEmpty() ? regs : detail + "\n" + regs;
        }
    }

    /** Stopped from outside: the API, the console's escape, a test. */
    record HostRequest(String why) implements StopReason {
        public String summary() {
            return "stopped: " + why;
        }
    }

    /** Stopped by a signal to the VMM (SIGINT, SIGTERM, SIGHUP). */
    record HostSignal(String name, int number) implements StopReason {
        public String summary() {
            return "stopped: " + name;
        }
    }

    /** The VMM itself failed (a device threw, an ioctl failed while running). */
    record VmmFailure(String where, Throwable cause) implements StopReason {
        public String summary() {
            return where + ": " + cause;
        }
    }
}
