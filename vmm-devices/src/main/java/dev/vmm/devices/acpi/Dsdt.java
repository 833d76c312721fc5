package dev.vmm.devices.acpi;

import static dev.vmm.devices.acpi.Aml.device;
import static dev.vmm.devices.acpi.Aml.eisaId;
import static dev.vmm.devices.acpi.Aml.integer;
import static dev.vmm.devices.acpi.Aml.method;
import static dev.vmm.devices.acpi.Aml.name;
import static dev.vmm.devices.acpi.Aml.pkg;
import static dev.vmm.devices.acpi.Aml.returnValue;
import static dev.vmm.devices.acpi.Aml.scope;

/**
 * The Differentiated System Description Table: the PCI host bridge with its windows, the PIIX3 ISA
 * bridge with COM1 below it, and the S5 sleep package. Enough for an OS to find the root bus and the
 * console; the rest of the machine is in the MADT and FADT.
 */
final class Dsdt {
    static final String SIGNATURE = "DSDT";
    /** Revision 2: integers are 64-bit, needed for a QWordMemory window. */
    static final int REVISION = 2;
    /** PCI config mechanism #1 (0xCF8-0xCFF), which the host bridge consumes rather than forwards. */
    static final int PCI_CONFIG_PORT = 0xcf8;
    static final int PCI_CONFIG_PORTS = 8;
    /** _ADR of the PIIX3 ISA bridge: device 1, function 0. */
    static final int ISA_BRIDGE_ADR = 0x0001_0000;
    /** _STA: present, enabled, shown in the UI, functioning. */
    static final int STA_PRESENT = 0x0f;

    private Dsdt() {}

    static AcpiTable build(AcpiMachine machine) {
        return TableWriter.sdt(SIGNATURE, REVISION)
                .bytes(scope("\\_SB", pci0(machine)))
                .bytes(s5())
                .finish();
    }

    private static byte[] pci0(AcpiMachine machine) {
        return device("PCI0",
                name("_HID", eisaId("PNP0A03")),
                name("_ADR", integer(0)),
                name("_UID", integer(0)),
                name("_BBN", integer(0)),
                name("_CRS", hostBridgeResources(machine)),
                device("ISA", name("_ADR", integer(ISA_BRIDGE_ADR)), com1(machine)));
    }

    /**
     * Bus 0-0xFF; all I/O ports but the config ports, split around them as QEMU does; the 32-bit MMIO
     * window; the 64-bit window if there is one.
     */
    private static byte[] hostBridgeResources(AcpiMachine machine) {
        ResourceTemplate crs = new ResourceTemplate()
                .wordBusNumber(0x00, 0xff)
                .io(PCI_CONFIG_PORT, PCI_CONFIG_PORTS)
                .wordIo(0x0000, PCI_CONFIG_PORT - 1)
                .wordIo(0x0d00, 0xffff)
                .dWordMemory(machine.pci32().base(), machine.pci32().last());
        if (machine.pci64().size() != 0) {
            crs.qWordMemory(machine.pci64().base(), machine.pci64().last());
        }
        return crs.toAml();
    }

    private static byte[] com1(AcpiMachine machine) {
        return device("COM1",
                name("_HID", eisaId("PNP0501")),
                name("_UID", integer(1)),
                method("_STA", 0, returnValue(integer(STA_PRESENT))),
                name("_CRS", new ResourceTemplate()
                        .io(machine.com1Base(), 8)
                        .irqNoFlags(machine.com1Irq())
                        .toAml()));
    }

    /**
     * \_S5 = {SLP_TYPa, SLP_TYPb, reserved, reserved}. PIIX4 powers off on SLP_EN with SLP_TYP 0, which
     * is also what OVMF writes for {@code reset -s}.
     */
    private static byte[] s5() {
        return name("_S5", pkg(integer(0), integer(0), integer(0), integer(0)));
    }
}
