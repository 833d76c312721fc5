package dev.vmm.core.kvm;

import static dev.vmm.core.abi.CStruct.offset;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.vmm.core.abi.CName;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * A whole GSI routing table for KVM_SET_GSI_ROUTING, which replaces the table rather than adding to it.
 * Start from {@link #pcDefault()}, the table KVM_CREATE_IRQCHIP installs, so that an MSI route never
 * costs the legacy IRQs. Immutable: each change returns a new table.
 */
public final class GsiRoutingTable {
    @CName("KVM_IRQ_ROUTING_IRQCHIP") static final int TYPE_IRQCHIP = 1;
    @CName("KVM_IRQ_ROUTING_MSI") static final int TYPE_MSI = 2;
    @CName("KVM_IRQCHIP_PIC_MASTER") public static final int PIC_MASTER = 0;
    @CName("KVM_IRQCHIP_PIC_SLAVE") public static final int PIC_SLAVE = 1;
    @CName("KVM_IRQCHIP_IOAPIC") public static final int IOAPIC = 2;
    @CName("KVM_IOAPIC_NUM_PINS") public static final int IOAPIC_PINS = 24;
    /** Pins of one 8259; the kernel's PIC_NUM_PINS (16, not in the UAPI) counts both. */
    public static final int PIC_PINS = 8;
    /** GSIs 0-15 are the ISA IRQs, wired to both the PICs and the IOAPIC. */
    public static final int ISA_IRQS = 16;

    private static final long ENTRY_SIZE = VmLayouts.KVM_IRQ_ROUTING_ENTRY.byteSize();
    private static final long HEADER_SIZE = VmLayouts.KVM_IRQ_ROUTING.byteSize();
    private static final long GSI = offset(VmLayouts.KVM_IRQ_ROUTING_ENTRY, "gsi");
    private static final long TYPE = offset(VmLayouts.KVM_IRQ_ROUTING_ENTRY, "type");
    private static final long IRQCHIP = offset(VmLayouts.KVM_IRQ_ROUTING_ENTRY, "u.irqchip.irqchip");
    private static final long PIN = offset(VmLayouts.KVM_IRQ_ROUTING_ENTRY, "u.irqchip.pin");
    private static final long ADDRESS_LO = offset(VmLayouts.KVM_IRQ_ROUTING_ENTRY, "u.msi.address_lo");
    private static final long ADDRESS_HI = offset(VmLayouts.KVM_IRQ_ROUTING_ENTRY, "u.msi.address_hi");
    private static final long DATA = offset(VmLayouts.KVM_IRQ_ROUTING_ENTRY, "u.msi.data");

    private final List<GsiRoute> routes;

    private GsiRoutingTable(List<GsiRoute> routes) {
        this.routes = List.copyOf(routes);
    }

    /**
     * arch/x86/kvm/irq_comm.c's default_routing: GSIs 0-15 to IOAPIC pin = GSI and to the 8259 pin GSI % 8
     * (master below 8, slave from 8), GSIs 16-23 to the IOAPIC only. 40 routes.
     */
    public static GsiRoutingTable pcDefault() {
        List<GsiRoute> r = new ArrayList<>();
        for (int gsi = 0; gsi < IOAPIC_PINS; gsi++) {
            r.add(new GsiRoute.Irqchip(gsi, IOAPIC, gsi));
            if (gsi < ISA_IRQS) {
                r.add(new GsiRoute.Irqchip(gsi, gsi < PIC_PINS ? PIC_MASTER : PIC_SLAVE, gsi % PIC_PINS));
            }
        }
        return new GsiRoutingTable(r);
    }

    /**
     * QEMU's PC table (hw/i386/kvm/ioapic.c kvm_pc_setup_irq_routing): the 8259 routes as KVM's, but the
     * ISA timer, GSI 0, on IOAPIC pin 2 and nothing on GSI 2, which is what the MADT's interrupt source
     * override IRQ0 -> GSI 2 tells the guest. With KVM's own table the PIT never reaches the pin a guest
     * using the IOAPIC programs for it. 38 routes.
     */
    public static GsiRoutingTable qemuPc() {
        List<GsiRoute> r = new ArrayList<>();
        for (int gsi = 0; gsi < ISA_IRQS; gsi++) {
            if (gsi != 2) {
                r.add(new GsiRoute.Irqchip(gsi, gsi < PIC_PINS ? PIC_MASTER : PIC_SLAVE, gsi % PIC_PINS));
            }
        }
        for (int gsi = 0; gsi < IOAPIC_PINS; gsi++) {
            if (gsi != 2) {
                r.add(new GsiRoute.Irqchip(gsi, IOAPIC, gsi == 0 ? 2 : gsi));
            }
        }
        return new GsiRoutingTable(r);
    }

    public List<GsiRoute> routes() {
        return routes;
    }

    public List<GsiRoute> routesOf(int gsi) {
        return routes.stream().filter(r -> r.gsi() == gsi).toList();
    }

    /**
     * This table with {@code gsi} signalling an MSI, replacing an MSI route it had (a guest reprogramming
     * an MSI-X vector). KVM takes an MSI only on a GSI of its own (virt/kvm/irqchip.c,
     * setup_routing_entry), so a GSI routed to an irqchip is refused.
     */
    public GsiRoutingTable withMsi(int gsi, long address, int data) {
        GsiRoute.Msi msi = new GsiRoute.Msi(gsi, address, data);
        List<GsiRoute> r = new ArrayList<>(routes.size() + 1);
        for (GsiRoute e : routes) {
            if (e.gsi() != gsi) {
                r.add(e);
            } else if (e instanceof GsiRoute.Irqchip chip) {
                throw new IllegalArgumentException("GSI " + gsi + " is routed to irqchip " + chip.chip() + " pin "
                        + chip.pin() + "; an MSI needs a GSI of its own");
            }
        }
        r.add(msi);
        return new GsiRoutingTable(r);
    }

    /** This table without any route of {@code gsi}. */
    public GsiRoutingTable without(int gsi) {
        return new GsiRoutingTable(routes.stream().filter(r -> r.gsi() != gsi).toList());
    }

    public int highestGsi() {
        return routes.stream().mapToInt(GsiRoute::gsi).max().orElse(-1);
    }

    /** {@code struct kvm_irq_routing} with its entries, as KVM_SET_GSI_ROUTING reads it. */
    MemorySegment encode(Arena arena) {
        MemorySegment s = arena.allocate(HEADER_SIZE + ENTRY_SIZE * routes.size(),
                VmLayouts.KVM_IRQ_ROUTING_ENTRY.byteAlignment());
        s.set(JAVA_INT, 0, routes.size());
        for (int i = 0; i < routes.size(); i++) {
            MemorySegment e = s.asSlice(HEADER_SIZE + ENTRY_SIZE * i, ENTRY_SIZE);
            e.set(JAVA_INT, GSI, routes.get(i).gsi());
            switch (routes.get(i)) {
                case GsiRoute.Irqchip c -> {
                    e.set(JAVA_INT, TYPE, TYPE_IRQCHIP);
                    e.set(JAVA_INT, IRQCHIP, c.chip());
                    e.set(JAVA_INT, PIN, c.pin());
                }
                case GsiRoute.Msi m -> {
                    e.set(JAVA_INT, TYPE, TYPE_MSI);
                    e.set(JAVA_INT, ADDRESS_LO, (int) m.address());
                    e.set(JAVA_INT, ADDRESS_HI, (int) (m.address() >>> 32));
                    e.set(JAVA_INT, DATA, m.data());
                }
            }
        }
        return s;
    }

    @Override
    public String toString() {
        return routes.size() + " GSI routes, highest GSI " + highestGsi();
    }
}
