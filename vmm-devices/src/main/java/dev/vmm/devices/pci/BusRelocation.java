package dev.vmm.devices.pci;

import dev.vmm.devices.bus.Bus;
import dev.vmm.devices.bus.BusDevice;
import dev.vmm.devices.bus.BusException;

/**
 * Keeps one device on a bus where its BAR decodes. A window that overlaps another device (a guest
 * misprogramming, or a 64-bit BAR between its two dword writes) is left undecoded and logged: the guest's
 * mistake must not stop the VM, and the device already there keeps its range.
 */
public final class BusRelocation implements BarRelocation {
    private static final System.Logger LOG = System.getLogger("vmm.pci");

    private final Bus bus;
    private final String name;
    private final BusDevice device;

    public BusRelocation(Bus bus, String name, BusDevice device) {
        this.bus = bus;
        this.name = name;
        this.device = device;
    }

    @Override
    public void relocate(BarWindow from, BarWindow to) {
        if (from != null) {
            bus.remove(from.base(), device);
        }
        if (to != null) {
            try {
                bus.insert(to.base(), to.size(), name, device);
            } catch (BusException e) {
                LOG.log(System.Logger.Level.WARNING, name + " not decoded at " + to + ": " + e.getMessage());
            }
        }
    }
}
