package dev.vmm.app.devicemanager;

import dev.vmm.devices.pci.PciBar;
import dev.vmm.memory.RamLayout;

/**
 * What the device manager places devices with (Firecracker's device_manager/ resource allocator): port
 * I/O and MMIO ranges inside the PCI windows, and GSIs. Devices are handed what it returns; they never
 * allocate.
 *
 * @param pio    PCI I/O space: 0xC000-0xFFFF, OVMF's own I/O aperture (PlatformMemMapInitialization),
 *               above every fixed port this machine uses, inside the DSDT's 0x0D00-0xFFFF window
 * @param mmio32 the 32-bit PCI window the DSDT declares
 * @param mmio64 room for a 64-bit window above RAM (not yet declared to the guest)
 */
public record DeviceResources(AddressAllocator pio, AddressAllocator mmio32, AddressAllocator mmio64,
                              GsiAllocator gsis) {
    public static final long PCI_IO_BASE = 0xc000;
    public static final long IO_SPACE_END = 0x1_0000;
    /** The 64-bit window starts on a 1 GiB boundary above RAM (and 4 GiB). */
    public static final long MMIO64_ALIGNMENT = 1L << 30;
    public static final long MMIO64_SIZE = 32L << 30;

    /**
     * A PC's resources. {@code pci32Base}/{@code pci32End} are PcPlatform's window; {@code gsiLimit} is the
     * VM's KVM_CAP_IRQ_ROUTING.
     */
    public static DeviceResources pc(long pci32Base, long pci32End, RamLayout ram, int gsiLimit) {
        long ramEnd = RamLayout.HIGH_RAM_START + ram.highRamSize();
        long mmio64Base = (ramEnd + MMIO64_ALIGNMENT - 1) & -MMIO64_ALIGNMENT;
        return new DeviceResources(new AddressAllocator("pio", PCI_IO_BASE, IO_SPACE_END),
                new AddressAllocator("mmio32", pci32Base, pci32End),
                new AddressAllocator("mmio64", mmio64Base, mmio64Base + MMIO64_SIZE),
                new GsiAllocator(gsiLimit));
    }

    /**
     * An address for {@code bar}, aligned to its size as the PCI spec requires: I/O BARs in {@link #pio},
     * memory BARs in {@link #mmio32}; a 64-bit BAR goes above 4 GiB only when the 32-bit window is full
     * (that is where the guest looks first, and the 64-bit window is not yet in the DSDT).
     */
    public long placeBar(PciBar bar, String owner) {
        return switch (bar.type()) {
            case IO -> pio.allocate(bar.size(), bar.size(), owner);
            case MEMORY32 -> mmio32.allocate(bar.size(), bar.size(), owner);
            case MEMORY64 -> {
                try {
                    yield mmio32.allocate(bar.size(), bar.size(), owner);
                } catch (AllocationException full) {
                    yield mmio64.allocate(bar.size(), bar.size(), owner);
                }
            }
        };
    }
}
