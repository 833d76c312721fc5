package dev.vmm.app.devicemanager;

import dev.vmm.core.kvm.GsiRoutingTable;
import dev.vmm.core.kvm.VmFd;
import dev.vmm.core.sys.EventFd;
import dev.vmm.devices.EdgeInterrupt;

/**
 * Turns a device's MSI (address and data, as the guest programs them) into an {@link EdgeInterrupt}:
 * a GSI from the allocator, an MSI route in the VM's routing table, and an irqfd on it, so that a
 * trigger from any thread is one eventfd write the kernel turns into the interrupt, with no vCPU exit.
 * Every change sets the whole table again, legacy routes included, as KVM_SET_GSI_ROUTING replaces it.
 */
public final class InterruptWiring {
    private final VmFd vm;
    private final GsiAllocator gsis;
    private GsiRoutingTable table;

    /** @param table the routes the VM has now (KVM_SET_GSI_ROUTING replaces the whole table) */
    public InterruptWiring(VmFd vm, GsiAllocator gsis, GsiRoutingTable table) {
        this.vm = vm;
        this.gsis = gsis;
        this.table = table;
    }

    /** An MSI wired for {@code owner}; closing it removes the route and the irqfd and frees the GSI. */
    public synchronized Msi msi(String owner, long address, int data) {
        int gsi = gsis.allocateMsi(owner);
        EventFd event = new EventFd(EventFd.EFD_CLOEXEC | EventFd.EFD_NONBLOCK);
        try {
            GsiRoutingTable next = table.withMsi(gsi, address, data);
            vm.setGsiRouting(next);
            table = next;
            vm.irqfd(event, gsi, false);
            return new Msi(gsi, event);
        } catch (RuntimeException e) {
            event.close();
            gsis.release(gsi);
            throw e;
        }
    }

    /** The routing table as KVM has it now. */
    public synchronized GsiRoutingTable table() {
        return table;
    }

    private synchronized void unwire(Msi msi) {
        if (msi.closed) {
            throw new IllegalStateException("the MSI on GSI " + msi.gsi + " is already closed");
        }
        msi.closed = true;
        vm.irqfd(msi.event, msi.gsi, true);
        GsiRoutingTable next = table.without(msi.gsi);
        vm.setGsiRouting(next);
        table = next;
        msi.event.close();
        gsis.release(msi.gsi);
    }

    /** One wired MSI: trigger it from any thread; close it once. */
    public final class Msi implements EdgeInterrupt, AutoCloseable {
        private final int gsi;
        private final EventFd event;
        private boolean closed;

        private Msi(int gsi, EventFd event) {
            this.gsi = gsi;
            this.event = event;
        }

        public int gsi() {
            return gsi;
        }

        @Override
        public void trigger() {
            event.write(1);
        }

        @Override
        public void close() {
            unwire(this);
        }
    }
}
