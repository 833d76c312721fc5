package dev.vmm.devices;

/**
 * An interrupt input of the interrupt controller, as a device sees it. The application connects it
 * to the in-kernel irqchip (KVM_IRQ_LINE or an irqfd); devices never see how.
 */
public interface InterruptLine {
    /** A line nobody listens to, for devices configured without an interrupt. */
    InterruptLine NONE = level -> { };

    /** Drives the line (level-triggered ISA semantics: high while the device wants service). */
    void setLevel(boolean high);
}
