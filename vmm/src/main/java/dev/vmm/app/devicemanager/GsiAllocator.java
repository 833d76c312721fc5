package dev.vmm.app.devicemanager;

import dev.vmm.core.kvm.GsiRoutingTable;
import java.util.TreeMap;

/**
 * The VM's GSIs, in the three ranges KVM's default routing gives a PC (GsiRoutingTable.pcDefault):
 * <ul>
 *   <li>0-15, the ISA IRQs, wired to the 8259s and the IOAPIC: fixed by the device (COM1 is 4), so
 *       only claimed by number;</li>
 *   <li>16-23, the IOAPIC's other pins, for PCI INTx lines: handed out, one device each;</li>
 *   <li>24 up to KVM_CAP_IRQ_ROUTING, which have no default route: for MSI routes (an MSI needs a GSI of
 *       its own).</li>
 * </ul>
 * Thread-safe.
 */
public final class GsiAllocator {
    public static final int FIRST_PCI_INTX = GsiRoutingTable.ISA_IRQS;
    public static final int FIRST_MSI = GsiRoutingTable.IOAPIC_PINS;

    private final int limit;
    private final TreeMap<Integer, String> owners = new TreeMap<>();

    /** @param routeLimit KVM_CAP_IRQ_ROUTING: GSIs stop one below it */
    public GsiAllocator(int routeLimit) {
        if (routeLimit <= FIRST_MSI) {
            throw new IllegalArgumentException("KVM_CAP_IRQ_ROUTING " + routeLimit + " leaves no GSI for MSIs");
        }
        this.limit = routeLimit;
    }

    /** Takes ISA IRQ {@code irq} (0-15) for {@code owner}. */
    public synchronized int claimIsa(int irq, String owner) {
        if (irq < 0 || irq >= FIRST_PCI_INTX) {
            throw new AllocationException(owner + ": ISA IRQ " + irq + " is not one of 0-" + (FIRST_PCI_INTX - 1));
        }
        take(irq, owner);
        return irq;
    }

    /** The lowest free IOAPIC pin 16-23, for a PCI INTx line. */
    public synchronized int allocatePciIntx(String owner) {
        return first(FIRST_PCI_INTX, FIRST_MSI, owner, "PCI INTx");
    }

    /** The lowest free GSI from 24, for an MSI route. */
    public synchronized int allocateMsi(String owner) {
        return first(FIRST_MSI, limit, owner, "MSI");
    }

    public synchronized void release(int gsi) {
        if (owners.remove(gsi) == null) {
            throw new AllocationException("GSI " + gsi + " was not allocated");
        }
    }

    /** Who holds {@code gsi}, or null. */
    public synchronized String owner(int gsi) {
        return owners.get(gsi);
    }

    private int first(int from, int to, String owner, String kind) {
        for (int gsi = from; gsi < to; gsi++) {
            if (!owners.containsKey(gsi)) {
                owners.put(gsi, owner);
                return gsi;
            }
        }
        throw new AllocationException(owner + ": all " + (to - from) + " " + kind + " GSIs (" + from + "-" + (to - 1)
                + ") are taken");
    }

    private void take(int gsi, String owner) {
        String old = owners.putIfAbsent(gsi, owner);
        if (old != null) {
            throw new AllocationException(owner + ": GSI " + gsi + " is taken by " + old);
        }
    }
}
