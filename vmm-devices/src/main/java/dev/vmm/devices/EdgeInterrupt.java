package dev.vmm.devices;

/**
 * An edge-triggered interrupt as a device sees it: a message-signalled interrupt (MSI/MSI-X) or an
 * irqfd. Each {@link #trigger()} is one interrupt; the application connects it (KVM_IRQFD on an MSI
 * route) and devices never see how. It may be called from any thread, an I/O thread above all.
 */
@FunctionalInterface
public interface EdgeInterrupt {
    /** One nobody receives, for a vector the driver has not set up. */
    EdgeInterrupt NONE = () -> { };

    void trigger();
}
