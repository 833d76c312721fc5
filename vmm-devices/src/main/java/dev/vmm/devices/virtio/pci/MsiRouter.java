package dev.vmm.devices.virtio.pci;

import dev.vmm.devices.EdgeInterrupt;

/**
 * Turns an MSI message the guest programmed into an interrupt the device can trigger from any thread.
 * The application implements it (a KVM GSI route and an irqfd); the transport never sees how.
 */
@FunctionalInterface
public interface MsiRouter {
    /** A wired message: trigger it; close it when the guest reprograms or the device goes away. */
    interface Route extends EdgeInterrupt, AutoCloseable {
        @Override
        void close();
    }

    Route route(String owner, long address, int data);
}
