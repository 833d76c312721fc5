package dev.vmm.app.devicemanager;

import dev.vmm.core.kvm.VmFd;
import dev.vmm.core.sys.Epoll;
import dev.vmm.core.sys.EventFd;
import dev.vmm.core.sys.Fd;
import dev.vmm.core.sys.EventLoop;
import dev.vmm.core.sys.EventOps;
import dev.vmm.core.sys.EventSubscriber;
import dev.vmm.core.sys.ReadyEvent;
import dev.vmm.devices.bus.Bus;
import dev.vmm.devices.pci.BarRelocation;
import dev.vmm.devices.pci.BarWindow;
import dev.vmm.devices.pci.BusRelocation;
import dev.vmm.devices.pci.PciBar;
import dev.vmm.devices.pci.PciConfigSpace;
import dev.vmm.devices.pci.PciHost;
import dev.vmm.devices.virtio.VirtioDevice;
import dev.vmm.devices.virtio.net.VirtioNet;
import dev.vmm.devices.virtio.pci.MsiRouter;
import dev.vmm.devices.virtio.pci.VirtioPciFunction;
import dev.vmm.devices.virtio.vsock.VirtioVsock;
import dev.vmm.memory.GuestMemory;
import java.util.ArrayList;
import java.util.List;

/**
 * Puts virtio devices on the PCI bus and wires them to KVM, the device manager's part that devices
 * never see (Firecracker's device_manager/, Cloud Hypervisor's DeviceManager): a slot on bus 0, the
 * BAR in the PCI window, the BAR on the MMIO bus wherever the guest moves it, one ioeventfd per queue
 * notification address (a notify write is an eventfd signal inside KVM, with no exit), the I/O event
 * loop that serves each queue's eventfd off the vCPU threads, MSI-X vectors as KVM MSI routes with
 * irqfds, and an INTx GSI for drivers without MSI-X.
 */
public final class VirtioPciDevices implements AutoCloseable {
    /** The first slot on bus 0 after the host bridge (0) and the PIIX3/PIIX4 functions (1). */
    public static final int FIRST_SLOT = 2;
    /** The notify register is written as 16 bits by Linux and OVMF; other widths still reach the doorbell. */
    private static final int NOTIFY_WIDTH = 2;
    private static final System.Logger LOG = System.getLogger("vmm.virtio");

    private final VmFd vm;
    private final GuestMemory memory;
    private final PciHost pci;
    private final Bus mmio;
    private final DeviceResources resources;
    private final InterruptWiring wiring;
    private final EventLoop loop;
    private final List<Attached> attached = new ArrayList<>();
    private final List<HybridVsock> hostSides = new ArrayList<>();
    private int nextSlot = FIRST_SLOT;

    public VirtioPciDevices(VmFd vm, GuestMemory memory, PciHost pci, Bus mmio, DeviceResources resources,
                            InterruptWiring wiring) {
        this.vm = vm;
        this.memory = memory;
        this.pci = pci;
        this.mmio = mmio;
        this.resources = resources;
        this.wiring = wiring;
        this.loop = new EventLoop("vmm-virtio-io", (s, e) -> LOG.log(System.Logger.Level.ERROR,
                s + " stopped: " + e.getMessage(), e));
    }

    /**
     * Adds {@code device} on the next slot.
     *
     * @param assignBar place and enable the BAR as firmware would (a direct kernel boot, the test guest);
     *                  false where firmware (OVMF) assigns BARs itself
     * @param accessPlatform offer VIRTIO_F_ACCESS_PLATFORM (a confidential guest)
     */
    public VirtioPciFunction add(VirtioDevice device, boolean assignBar, boolean accessPlatform) {
        return add(device, assignBar, accessPlatform, null);
    }

    /**
     * Adds a virtio-net device whose backend's fd the I/O loop watches: a readable fd fills the receive
     * queue; while the device cannot take a frame the fd is left unwatched, until the driver offers
     * receive buffers again (a notification of the receive queue).
     */
    public VirtioPciFunction addNet(VirtioNet net, FdNetBackend backend, boolean assignBar, boolean accessPlatform) {
        return add(net, assignBar, accessPlatform, new Backend(backend.fd(), net, backend));
    }

    /**
     * Adds a virtio-vsock device and its host side, which joins the I/O loop with its sockets and wakes
     * the device's receive queue through the queue's doorbell; it is closed after the loop stops.
     */
    public VirtioPciFunction addVsock(VirtioVsock vsock, HybridVsock host, boolean assignBar, boolean accessPlatform) {
        VirtioPciFunction function = add(vsock, assignBar, accessPlatform, null);
        host.wakeReceive(() -> function.wake(VirtioVsock.RXQ));
        hostSides.add(host);
        loop.add(host);
        return function;
    }

    /** A network backend's fd and whether its device can take a frame now. */
    private record Backend(Fd fd, VirtioNet net, AutoCloseable owner) {}

    private VirtioPciFunction add(VirtioDevice device, boolean assignBar, boolean accessPlatform, Backend backend) {
        int slot = nextSlot++;
        String owner = device.name();
        int intxGsi = resources.gsis().allocatePciIntx(owner);
        Relocations relocations = new Relocations();
        MsiRouter router = (who, address, data) -> {
            InterruptWiring.Msi msi = wiring.msi(who, address, data);
            return new MsiRouter.Route() {
                @Override
                public void trigger() {
                    msi.trigger();
                }

                @Override
                public void close() {
                    msi.close();
                }
            };
        };
        VirtioPciFunction function = new VirtioPciFunction(device, memory, router, level -> vm.irqLine(intxGsi, level),
                accessPlatform, relocations);
        Attached a = new Attached(function, new EventFd[function.queueCount()], intxGsi, backend);
        for (int q = 0; q < a.kicks.length; q++) {
            a.kicks[q] = new EventFd(EventFd.EFD_CLOEXEC | EventFd.EFD_NONBLOCK);
        }
        relocations.to(new BusRelocation(mmio, owner, function.bar()), a);
        function.doorbell(q -> a.kicks[q].write(1));
        function.writeConfig(PciConfigSpace.INTERRUPT_LINE, 1, intxGsi);
        attached.add(a);
        pci.add(slot, 0, function);
        loop.add(a);
        if (assignBar) {
            long base = resources.placeBar(PciBar.memory64(VirtioPciFunction.BAR_INDEX, VirtioPciFunction.BAR_SIZE, false),
                    owner);
            function.writeConfig(PciBar.BAR0, 4, (int) base);
            function.writeConfig(PciBar.BAR0 + 4, 4, (int) (base >>> 32));
            function.writeConfig(PciConfigSpace.COMMAND, 2, PciConfigSpace.COMMAND_IO_MEM_MASTER);
        }
        return function;
    }

    public List<VirtioPciFunction> functions() {
        return attached.stream().map(a -> a.function).toList();
    }

    /** Moves the BAR on the MMIO bus and the queues' ioeventfds with it. */
    private final class Relocations implements BarRelocation {
        private BarRelocation bus;
        private Attached device;

        void to(BarRelocation bus, Attached device) {
            this.bus = bus;
            this.device = device;
        }

        @Override
        public void relocate(BarWindow from, BarWindow to) {
            bus.relocate(from, to);
            for (int q = 0; q < device.kicks.length; q++) {
                if (from != null) {
                    vm.ioeventfd(device.kicks[q], from.base() + VirtioPciFunction.notifyOffset(q), NOTIFY_WIDTH, false, true);
                }
                if (to != null) {
                    vm.ioeventfd(device.kicks[q], to.base() + VirtioPciFunction.notifyOffset(q), NOTIFY_WIDTH, false, false);
                }
            }
            device.window = to;
        }
    }

    /** One device: its function, the eventfd of each queue, which the loop serves. */
    private final class Attached implements EventSubscriber {
        final VirtioPciFunction function;
        final EventFd[] kicks;
        final int intxGsi;
        final Backend backend;
        boolean backendWatched;
        BarWindow window;

        Attached(VirtioPciFunction function, EventFd[] kicks, int intxGsi, Backend backend) {
            this.function = function;
            this.kicks = kicks;
            this.intxGsi = intxGsi;
            this.backend = backend;
        }

        @Override
        public void init(EventOps ops) {
            for (EventFd k : kicks) {
                ops.add(k.fd(), Epoll.EPOLLIN);
            }
            if (backend != null) {
                ops.add(backend.fd(), Epoll.EPOLLIN);
                backendWatched = true;
            }
        }

        @Override
        public void process(ReadyEvent event, EventOps ops) {
            if (backend != null && event.fd() == backend.fd()) {
                function.queueNotified(VirtioNet.RXQ);
            }
            for (int q = 0; q < kicks.length; q++) {
                if (kicks[q].fd() == event.fd()) {
                    kicks[q].read();
                    function.queueNotified(q);
                }
            }
            if (backend != null) {
                // Level-triggered: a readable fd the device cannot drain would wake the loop forever.
                boolean watch = !backend.net().rxStalled();
                if (watch != backendWatched) {
                    ops.modify(backend.fd(), watch ? Epoll.EPOLLIN : 0);
                    backendWatched = watch;
                }
            }
        }

        @Override
        public String toString() {
            return function.name();
        }
    }

    @Override
    public void close() throws InterruptedException {
        loop.close();
        for (Attached a : attached) {
            if (a.window != null) {
                for (int q = 0; q < a.kicks.length; q++) {
                    vm.ioeventfd(a.kicks[q], a.window.base() + VirtioPciFunction.notifyOffset(q), NOTIFY_WIDTH, false, true);
                }
            }
            a.function.close();
            for (EventFd k : a.kicks) {
                k.close();
            }
            if (a.backend != null) {
                try {
                    a.backend.owner().close();
                } catch (Exception e) {
                    LOG.log(System.Logger.Level.WARNING, a.function.name() + ": close the backend: " + e.getMessage());
                }
            }
            if (a.function.device() instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    LOG.log(System.Logger.Level.WARNING, a.function.name() + ": close: " + e.getMessage());
                }
            }
            resources.gsis().release(a.intxGsi);
        }
        hostSides.forEach(HybridVsock::close);
    }
}
