package dev.vmm.app.devicemanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmm.core.kvm.GsiRoute;
import dev.vmm.core.kvm.GsiRoutingTable;
import dev.vmm.core.kvm.Kvm;
import dev.vmm.core.kvm.KvmCap;
import dev.vmm.core.kvm.VmFd;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** MSIs wired on a real VM: a GSI, a route beside the legacy ones, an irqfd; all of it undone on close. */
class InterruptWiringTest {
    private static final long MSI_ADDRESS = 0xfee00000L;
    private Kvm kvm;
    private VmFd vm;
    private GsiAllocator gsis;
    private InterruptWiring wiring;

    @BeforeEach
    void vm() {
        kvm = Kvm.open();
        vm = kvm.createVm(Kvm.VM_TYPE_DEFAULT);
        vm.createIrqchip();
        gsis = new GsiAllocator(vm.checkExtension(KvmCap.IRQ_ROUTING));
        wiring = new InterruptWiring(vm, gsis, GsiRoutingTable.qemuPc());
    }

    @AfterEach
    void close() {
        vm.close();
        kvm.close();
    }

    @Test
    void anMsiGetsItsOwnGsiRouteAndIrqfdAndKeepsTheLegacyRoutes() {
        int legacy = wiring.table().routes().size();
        try (var a = wiring.msi("virtio-blk queue 0", MSI_ADDRESS, 0x41);
             var b = wiring.msi("virtio-blk config", MSI_ADDRESS, 0x42)) {
            assertThat(a.gsi()).isEqualTo(GsiAllocator.FIRST_MSI);
            assertThat(b.gsi()).isEqualTo(GsiAllocator.FIRST_MSI + 1);
            assertThat(wiring.table().routes()).hasSize(legacy + 2);
            assertThat(wiring.table().routesOf(a.gsi())).containsExactly(new GsiRoute.Msi(a.gsi(), MSI_ADDRESS, 0x41));
            assertThat(gsis.owner(b.gsi())).isEqualTo("virtio-blk config");
            a.trigger();        // an eventfd write KVM turns into the interrupt (no vCPU listens here)
            b.trigger();
        }
        assertThat(wiring.table().routes()).hasSize(legacy);
        assertThat(gsis.owner(GsiAllocator.FIRST_MSI)).isNull();
        try (var again = wiring.msi("again", MSI_ADDRESS, 0x43)) {
            assertThat(again.gsi()).as("a freed GSI is handed out again").isEqualTo(GsiAllocator.FIRST_MSI);
        }
    }

    @Test
    void aClosedMsiCannotBeClosedTwice() {
        var msi = wiring.msi("once", MSI_ADDRESS, 0x50);
        msi.close();
        assertThatThrownBy(msi::close).isInstanceOf(IllegalStateException.class).hasMessageContaining("GSI 24 is already closed");
    }
}
