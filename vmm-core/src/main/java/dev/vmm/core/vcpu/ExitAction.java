package dev.vmm.core.vcpu;

/** What the vCPU loop does after an exit was dispatched. */
public sealed interface ExitAction {
    ExitAction CONTINUE = new Continue();

    /** Enter the guest again. */
    record Continue() implements ExitAction {}

    /** Enter again with this value in {@code hypercall.ret}. */
    record HypercallReturn(long value) implements ExitAction {}

    /** Stop the VM for a reason that needs no register state. */
    record Stop(StopReason reason) implements ExitAction {}

    /** Stop the VM because the guest faulted; the loop adds the vCPU's registers. */
    record Fault(String event, String detail) implements ExitAction {}
}
