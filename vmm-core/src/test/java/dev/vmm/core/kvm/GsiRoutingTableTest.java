package dev.vmm.core.kvm;

import static dev.vmm.core.kvm.GsiRoutingTable.IOAPIC;
import static dev.vmm.core.kvm.GsiRoutingTable.PIC_MASTER;
import static dev.vmm.core.kvm.GsiRoutingTable.PIC_SLAVE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class GsiRoutingTableTest {
    @Test
    void qemusTablePutsTheTimerOnPinTwoAsTheMadtSays() {
        GsiRoutingTable t = GsiRoutingTable.qemuPc();
        assertThat(t.routes()).hasSize(38);
        assertThat(t.routesOf(0)).containsExactlyInAnyOrder(new GsiRoute.Irqchip(0, IOAPIC, 2),
                new GsiRoute.Irqchip(0, PIC_MASTER, 0));
        assertThat(t.routesOf(2)).as("nothing raises GSI 2 itself").isEmpty();
        assertThat(t.routesOf(4)).containsExactlyInAnyOrder(new GsiRoute.Irqchip(4, IOAPIC, 4),
                new GsiRoute.Irqchip(4, PIC_MASTER, 4));
        assertThat(t.routesOf(9)).containsExactlyInAnyOrder(new GsiRoute.Irqchip(9, IOAPIC, 9),
                new GsiRoute.Irqchip(9, PIC_SLAVE, 1));
        assertThat(t.routesOf(23)).containsExactly(new GsiRoute.Irqchip(23, IOAPIC, 23));
    }

    @Test
    void theDefaultIsTheTableKvmCreateIrqchipInstalls() {
        GsiRoutingTable t = GsiRoutingTable.pcDefault();
        assertThat(t.routes()).hasSize(40);
        assertThat(t.routesOf(0)).containsExactly(new GsiRoute.Irqchip(0, IOAPIC, 0), new GsiRoute.Irqchip(0, PIC_MASTER, 0));
        assertThat(t.routesOf(2)).as("the cascade pin is routed too")
                .containsExactly(new GsiRoute.Irqchip(2, IOAPIC, 2), new GsiRoute.Irqchip(2, PIC_MASTER, 2));
        assertThat(t.routesOf(8)).containsExactly(new GsiRoute.Irqchip(8, IOAPIC, 8), new GsiRoute.Irqchip(8, PIC_SLAVE, 0));
        assertThat(t.routesOf(15)).containsExactly(new GsiRoute.Irqchip(15, IOAPIC, 15), new GsiRoute.Irqchip(15, PIC_SLAVE, 7));
        assertThat(t.routesOf(16)).containsExactly(new GsiRoute.Irqchip(16, IOAPIC, 16));
        assertThat(t.routesOf(23)).containsExactly(new GsiRoute.Irqchip(23, IOAPIC, 23));
        assertThat(t.routesOf(24)).isEmpty();
        assertThat(t.highestGsi()).isEqualTo(23);
    }

    @Test
    void anMsiRouteKeepsTheLegacyRoutesAndReplacesItsOwnOldMessage() {
        GsiRoutingTable base = GsiRoutingTable.pcDefault();
        GsiRoutingTable t = base.withMsi(24, 0xfee00000L, 0x41).withMsi(25, 0xfee01000L, 0x42);
        assertThat(t.routes()).hasSize(42).containsAll(base.routes());
        GsiRoutingTable moved = t.withMsi(24, 0xfee02000L, 0x43);
        assertThat(moved.routesOf(24)).containsExactly(new GsiRoute.Msi(24, 0xfee02000L, 0x43));
        assertThat(moved.routes()).hasSize(42);
        assertThat(moved.without(24).routes()).hasSize(41).doesNotContain(new GsiRoute.Msi(24, 0xfee02000L, 0x43));
        assertThat(base.routes()).as("tables are values").hasSize(40);
    }

    @Test
    void refusesWhatKvmWouldRefuse() {
        assertThatThrownBy(() -> GsiRoutingTable.pcDefault().withMsi(5, 0xfee00000L, 0x30))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("GSI 5 is routed to irqchip 2 pin 5; an MSI needs a GSI of its own");
        assertThatThrownBy(() -> new GsiRoute.Irqchip(3, PIC_MASTER, 8)).hasMessage("GSI 3: irqchip 0 has no pin 8");
        assertThatThrownBy(() -> new GsiRoute.Irqchip(3, IOAPIC, 24)).hasMessage("GSI 3: irqchip 2 has no pin 24");
        assertThatThrownBy(() -> new GsiRoute.Irqchip(3, 3, 0)).hasMessage("GSI 3: no irqchip 3");
        assertThatThrownBy(() -> new GsiRoute.Msi(-1, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void encodesEntriesAsTheHeaderLaysThemOut() {
        GsiRoutingTable t = GsiRoutingTable.pcDefault().without(1).withMsi(30, 0x1_fee0_3000L, 0x4021);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = t.encode(arena);
            int n = t.routes().size();
            assertThat(s.byteSize()).isEqualTo(8 + 48L * n);
            assertThat(s.get(JAVA_INT, 0)).as("nr").isEqualTo(n);
            assertThat(s.get(JAVA_INT, 4)).as("flags").isZero();
            MemorySegment first = s.asSlice(8, 48);
            assertThat(new int[] {first.get(JAVA_INT, 0), first.get(JAVA_INT, 4), first.get(JAVA_INT, 16),
                    first.get(JAVA_INT, 20)}).as("gsi, type IRQCHIP, irqchip, pin").containsExactly(0, 1, IOAPIC, 0);
            MemorySegment msi = s.asSlice(8 + 48L * (n - 1), 48);
            assertThat(new int[] {msi.get(JAVA_INT, 0), msi.get(JAVA_INT, 4), msi.get(JAVA_INT, 8), msi.get(JAVA_INT, 16),
                    msi.get(JAVA_INT, 20), msi.get(JAVA_INT, 24)})
                    .as("gsi, type MSI, flags, address_lo, address_hi, data")
                    .containsExactly(30, 2, 0, 0xfee03000, 1, 0x4021);
        }
    }
}
