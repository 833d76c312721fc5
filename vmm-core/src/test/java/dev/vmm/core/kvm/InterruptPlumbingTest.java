package dev.vmm.core.kvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmm.core.sys.Errno;
import dev.vmm.core.sys.EventFd;
import dev.vmm.core.sys.SysException;
import org.junit.jupiter.api.Test;

/**
 * ioeventfd, irqfd, GSI routing and KVM_SIGNAL_MSI on real KVM, with a few bytes of real-mode guest.
 * MSIs are x86 messages (Intel SDM vol. 3, 11.11): address 0xFEE0_0000 with the destination APIC ID in
 * bits 19:12 (0 here: vCPU 0), data = the vector, fixed delivery, edge-triggered.
 */
class InterruptPlumbingTest {
    private static final long MSI_TO_VCPU0 = 0xfee0_0000L;
    /** The guest enables its LAPIC in x2APIC mode (wrmsr works in real mode), then halts with IF=1. */
    private static final String ENABLE_APIC_AND_WAIT =
            "66 b9 1b 00 00 00" /* mov ecx, IA32_APIC_BASE */ + "0f 32" /* rdmsr */ + "80 cc 04" /* or ah, 4: x2APIC */
            + "0f 30" /* wrmsr */ + "66 b9 0f 08 00 00" /* mov ecx, x2APIC SVR */
            + "66 b8 ff 01 00 00" /* mov eax, 0x1ff: APIC enabled, spurious vector 0xff */ + "66 31 d2" /* xor edx, edx */
            + "0f 30" /* wrmsr */ + "fb" /* sti */ + "e6 80" /* out 0x80, al: ready */ + "f4" /* hlt */ + "eb fd";

    /** An interrupt handler that reports {@code vector} on port 0x81, then EOIs and returns. */
    private static String handler(int vector) {
        return String.format("b0 %02x", vector) + "e6 81" /* out 0x81, al */ + "66 b9 0b 08 00 00" /* mov ecx, x2APIC EOI */
                + "66 31 c0 66 31 d2" /* xor eax, eax; xor edx, edx */ + "0f 30" /* wrmsr */ + "cf" /* iret */;
    }

    @Test
    void anMmioIoeventfdWithDatamatchTakesOnlyTheMatchingWrite() throws Exception {
        try (TinyGuest g = new TinyGuest(); EventFd notify = new EventFd(EventFd.EFD_NONBLOCK)) {
            g.vm.ioeventfd(notify, 0x20000, 2, false, 0x1234, false);
            g.put(TinyGuest.CODE, "b8 00 20 8e c0" /* mov ax, 0x2000; mov es, ax */
                    + "b8 34 12 26 a3 00 00" /* mov ax, 0x1234; mov es:[0], ax: to the eventfd */
                    + "b8 78 56 26 a3 00 00" /* mov ax, 0x5678; mov es:[0], ax: no match, an MMIO exit */
                    + "e6 81 f4 eb fd" /* out 0x81, al; hlt */).start();
            assertThat(g.await("out 81=78")).as("guest finished").isTrue();
            assertThat(g.exits).containsExactly("mmio 20000=5678", "out 81=78");
            assertThat(notify.read()).as("eventfd count").isEqualTo(1);

            assertThatThrownBy(() -> g.vm.ioeventfd(notify, 0x20000, 2, false, true))
                    .as("deassigning needs the datamatch it was assigned with")
                    .isInstanceOfSatisfying(SysException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOENT))
                    .hasMessageContaining("KVM_IOEVENTFD").hasMessageContaining("mmio 0x20000, 2 bytes, deassign");
            g.vm.ioeventfd(notify, 0x20000, 2, false, 0x1234, true);
            assertThatThrownBy(() -> g.vm.ioeventfd(notify, 0x20000, 3, false, false))
                    .isInstanceOf(SysException.class).hasMessageStartingWith("KVM_IOEVENTFD: EINVAL")
                    .hasMessageContaining("3 bytes");
        }
    }

    @Test
    void anIrqfdOnAnMsiRouteAndKvmSignalMsiReachTheGuest() throws Exception {
        try (TinyGuest g = new TinyGuest(); EventFd msi = new EventFd(EventFd.EFD_NONBLOCK)) {
            GsiRoutingTable table = GsiRoutingTable.pcDefault().withMsi(24, MSI_TO_VCPU0, 0x40);
            g.vm.setGsiRouting(table);
            g.vm.irqfd(msi, 24, false);
            g.put(TinyGuest.CODE, ENABLE_APIC_AND_WAIT)
                    .put(0x1100, handler(0x40)).vector(0x40, 0x1100)
                    .put(0x1200, handler(0x50)).vector(0x50, 0x1200).start();
            assertThat(g.await("out 80=ff")).as("guest ready").isTrue();

            msi.write(1);
            assertThat(g.await("out 81=40")).as("the irqfd's MSI, vector 0x40").isTrue();
            assertThat(g.vm.signalMsi(MSI_TO_VCPU0, 0x50)).as("vCPUs that took it").isEqualTo(1);
            assertThat(g.await("out 81=50")).as("KVM_SIGNAL_MSI, vector 0x50").isTrue();
            assertThat(g.exits).containsExactly("out 80=ff", "out 81=40", "out 81=50");

            g.vm.setGsiRouting(table.withMsi(24, MSI_TO_VCPU0, 0x50));
            msi.write(1);
            assertThat(g.await(e -> e.equals("out 81=50") && g.exits.size() == 4)).as("the irqfd follows its new route")
                    .isTrue();
            g.vm.irqfd(msi, 24, true);
        }
    }

    @Test
    void routingTablesBeyondTheCapabilityOrWithBadEntriesAreRefused() throws Exception {
        try (TinyGuest g = new TinyGuest()) {
            int routes = g.vm.checkExtension(KvmCap.IRQ_ROUTING);
            assertThat(routes).isGreaterThan(24);
            g.vm.setGsiRouting(GsiRoutingTable.pcDefault().withMsi(routes - 1, MSI_TO_VCPU0, 0x40));
            assertThatThrownBy(() -> g.vm.setGsiRouting(GsiRoutingTable.pcDefault().withMsi(routes, MSI_TO_VCPU0, 0x40)))
                    .hasMessage("KVM_SET_GSI_ROUTING: GSI " + routes + " is beyond this KVM's " + routes
                            + " routes (KVM_CAP_IRQ_ROUTING)");
            assertThatThrownBy(() -> g.vm.signalMsi(0xfee0_5000L, 0x40)).as("no vCPU has APIC ID 5")
                    .isInstanceOf(SysException.class).hasMessageStartingWith("KVM_SIGNAL_MSI: EPERM");
        }
    }
}
