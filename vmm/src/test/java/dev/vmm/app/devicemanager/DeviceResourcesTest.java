package dev.vmm.app.devicemanager;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmm.devices.pci.PciBar;
import dev.vmm.memory.RamLayout;
import org.junit.jupiter.api.Test;

class DeviceResourcesTest {
    private static final long PCI32_BASE = 0x8000_0000L;
    private static final long PCI32_END = 0xfc00_0000L;

    @Test
    void aPcHasItsIoApertureThe32BitWindowAndRoomAboveRam() {
        DeviceResources small = DeviceResources.pc(PCI32_BASE, PCI32_END, RamLayout.forSize(512L << 20), 4096);
        assertThat(small.pio().base()).isEqualTo(0xc000);
        assertThat(small.pio().end()).isEqualTo(0x10000);
        assertThat(small.mmio32().base()).isEqualTo(PCI32_BASE);
        assertThat(small.mmio64().base()).as("no RAM above 4 GiB").isEqualTo(1L << 32);
        DeviceResources big = DeviceResources.pc(PCI32_BASE, PCI32_END, RamLayout.forSize((3L << 30) + (4L << 20)), 4096);
        assertThat(big.mmio64().base()).as("above the 1 GiB + 4 MiB of high RAM, on a 1 GiB boundary")
                .isEqualTo(6L << 30);
        assertThat(big.mmio64().end() - big.mmio64().base()).isEqualTo(32L << 30);
    }

    @Test
    void barsArePlacedByTypeAlignedToTheirSize() {
        DeviceResources r = DeviceResources.pc(PCI32_BASE, PCI32_BASE + 0x10000, RamLayout.forSize(512L << 20), 4096);
        assertThat(r.placeBar(PciBar.io(0, 0x40), "io")).isEqualTo(0xc000);
        assertThat(r.placeBar(PciBar.memory32(1, 0x1000), "mmio")).isEqualTo(PCI32_BASE);
        assertThat(r.placeBar(PciBar.memory64(2, 0x4000, true), "mmio64")).as("below 4 GiB while it fits")
                .isEqualTo(PCI32_BASE + 0x4000);
        assertThat(r.placeBar(PciBar.memory64(4, 0x10000, true), "big")).as("the 32-bit window is full")
                .isEqualTo(1L << 32);
    }
}
