package dev.vmm.core.kvm;

import dev.vmm.core.abi.CConstant;

/** {@code kvm_run.exit_reason} values (linux/kvm.h) the x86 VMM can see. */
public enum ExitReason implements CConstant {
    UNKNOWN(0), EXCEPTION(1), IO(2), HYPERCALL(3), DEBUG(4), HLT(5), MMIO(6), IRQ_WINDOW_OPEN(7),
    SHUTDOWN(8), FAIL_ENTRY(9), INTR(10), SET_TPR(11), TPR_ACCESS(12), NMI(16), INTERNAL_ERROR(17),
    SYSTEM_EVENT(24), IOAPIC_EOI(26), HYPERV(27), X86_RDMSR(29), X86_WRMSR(30), DIRTY_RING_FULL(31),
    AP_RESET_HOLD(32), X86_BUS_LOCK(33), XEN(34), NOTIFY(37), MEMORY_FAULT(39);

    private static final ExitReason[] BY_NUMBER = new ExitReason[64];

    static {
        for (ExitReason r : values()) {
            BY_NUMBER[r.number] = r;
        }
    }

    private final int number;

    ExitReason(int number) {
        this.number = number;
    }

    public int number() {
        return number;
    }

    /** The reason with this number, or {@code null} for one this VMM does not know. */
    public static ExitReason of(int number) {
        return number >= 0 && number < BY_NUMBER.length ? BY_NUMBER[number] : null;
    }

    @Override
    public String cName() {
        return "KVM_EXIT_" + name();
    }

    @Override
    public long value() {
        return number;
    }
}
