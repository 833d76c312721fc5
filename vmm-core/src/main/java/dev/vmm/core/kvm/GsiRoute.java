package dev.vmm.core.kvm;

/** One entry of the VM's GSI routing table: what raising a GSI (an irqfd, KVM_IRQ_LINE) does. */
public sealed interface GsiRoute {
    int gsi();

    /**
     * To an input pin of one in-kernel interrupt controller ({@link GsiRoutingTable#PIC_MASTER},
     * {@link GsiRoutingTable#PIC_SLAVE}, {@link GsiRoutingTable#IOAPIC}).
     */
    record Irqchip(int gsi, int chip, int pin) implements GsiRoute {
        public Irqchip {
            int pins = switch (chip) {
                case GsiRoutingTable.PIC_MASTER, GsiRoutingTable.PIC_SLAVE -> GsiRoutingTable.PIC_PINS;
                case GsiRoutingTable.IOAPIC -> GsiRoutingTable.IOAPIC_PINS;
                default -> throw new IllegalArgumentException("GSI " + gsi + ": no irqchip " + chip);
            };
            if (gsi < 0 || pin < 0 || pin >= pins) {
                throw new IllegalArgumentException("GSI " + gsi + ": irqchip " + chip + " has no pin " + pin);
            }
        }
    }

    /** A message-signalled interrupt: the address and data a device would write (x86: 0xFEEx_xxxx). */
    record Msi(int gsi, long address, int data) implements GsiRoute {
        public Msi {
            if (gsi < 0) {
                throw new IllegalArgumentException("negative GSI " + gsi);
            }
        }
    }
}
