package dev.vmm.app.machine;

import dev.vmm.app.config.CharDevice;
import dev.vmm.app.config.FwCfgEntry;
import dev.vmm.app.config.Payload;
import dev.vmm.app.config.VmConfig;
import dev.vmm.app.devicemanager.DeviceResources;
import dev.vmm.core.kvm.GsiRoutingTable;
import dev.vmm.core.kvm.VmFd;
import dev.vmm.core.sys.Terminal;
import dev.vmm.core.vcpu.StopRequester;
import dev.vmm.devices.MachineRequest;
import dev.vmm.devices.acpi.AcpiMachine;
import dev.vmm.devices.acpi.AcpiTables;
import dev.vmm.devices.bus.Bus;
import dev.vmm.devices.fwcfg.E820Table;
import dev.vmm.devices.fwcfg.FwCfg;
import dev.vmm.devices.fwcfg.FwCfgDma;
import dev.vmm.devices.fwcfg.KernelItems;
import dev.vmm.devices.legacy.AcpiPmIo;
import dev.vmm.devices.legacy.Cmos;
import dev.vmm.devices.legacy.DebugCon;
import dev.vmm.devices.legacy.DebugExit;
import dev.vmm.devices.legacy.I8042;
import dev.vmm.devices.legacy.PostCode;
import dev.vmm.devices.legacy.ResetControl;
import dev.vmm.devices.legacy.Serial16550;
import dev.vmm.devices.legacy.SystemControlPortA;
import dev.vmm.devices.pci.PciHost;
import dev.vmm.devices.pci.Piix4PowerManagement;
import dev.vmm.devices.pci.SimplePciFunction;
import dev.vmm.firmware.linux.BzImage;
import dev.vmm.memory.GuestMemory;
import dev.vmm.memory.RamLayout;
import java.io.OutputStream;
import java.time.Clock;
import java.util.Arrays;
import java.util.function.BiFunction;

/**
 * The PC the VMM builds: an i440FX/PIIX3/PIIX4 chipset, the one whose device ids stock OVMF knows (it
 * also reads Q35's, but i440FX needs no ECAM window, no SMM and only a three-register PM function),
 * with the legacy devices firmware touches, COM1, fw_cfg with DMA, the memory map and ACPI tables.
 * Ports, IRQs and ids are QEMU's {@code pc} machine's, so firmware and guests see a machine they know.
 */
final class PcPlatform {
    /** The in-kernel irqchip's GSIs for ISA IRQs. */
    private static final int SCI_GSI = AcpiPmIo.SCI_IRQ;
    /** The 32-bit PCI window: RAM below 4 GiB ends by 2 GiB (RamLayout), the window by the IOAPIC. */
    static final long PCI32_BASE = 0x8000_0000L;
    static final long PCI32_END = 0xfc00_0000L;

    /** QEMU's routes, which the MADT describes (the timer's IRQ 0 on IOAPIC pin 2). */
    static final GsiRoutingTable ROUTES = GsiRoutingTable.qemuPc();
    /** The in-kernel PIT's ISA IRQ. */
    private static final int PIT_IRQ = 0;

    private PcPlatform() {}

    /** Places the chipset and legacy devices; their ISA IRQs are claimed so that no PCI device gets them. */
    /** The ACPI description of this machine with {@code cpus} vCPUs: in fw_cfg for firmware, in RAM for a kernel. */
    static AcpiMachine acpiMachine(int cpus) {
        return AcpiMachine.pc(cpus, new AcpiMachine.MmioWindow(PCI32_BASE, PCI32_END - PCI32_BASE));
    }

    /** What the rest of the build needs of the platform: the PCI host for the virtio functions, the PM block's power button. */
    record Attached(PciHost pci, AcpiPmIo pm) {}

    static Attached attach(VmConfig config, Payload payload, Console console, VmFd vm, GuestMemory memory, Bus pio,
                       DeviceResources resources, StopRequester stopper, Closer closer,
                       BiFunction<String, CharDevice, OutputStream> output) {
        MachineRequest.Sink machine = MachineRequests.stopping(stopper);
        resources.gsis().claimIsa(PIT_IRQ, "pit");
        resources.gsis().claimIsa(I8042.KEYBOARD_IRQ, "i8042");
        resources.gsis().claimIsa(Serial16550.COM1_IRQ, "com1");
        resources.gsis().claimIsa(SCI_GSI, "acpi-sci");
        RamLayout ram = RamLayout.forSize(config.memory().size());
        int cpus = config.cpus().count();
        // PCI: host bridge 00:00.0, ISA bridge 00:01.0, PM function 00:01.3; 0xCF9 is PIIX3's reset register.
        PciHost pci = new PciHost();
        pio.insert(PciHost.CONFIG_ADDRESS_PORT, 4, "pci-config-address", pci.addressPort(new ResetControl(machine)));
        pio.insert(PciHost.CONFIG_DATA_PORT, 4, "pci-config-data", pci.dataPort());
        pci.add(0, 0, SimplePciFunction.i440fxHostBridge());
        pci.add(1, 0, SimplePciFunction.piix3IsaBridge());
        AcpiPmIo pm = new AcpiPmIo(machine, level -> vm.irqLine(SCI_GSI, level));
        pci.add(1, 3, new Piix4PowerManagement(pio, pm));

        pio.insert(Cmos.IO_BASE, Cmos.IO_SIZE, "cmos",
                Cmos.withMemorySize(Clock.systemUTC(), ram.lowRamSize(), ram.highRamSize()));
        pio.insert(SystemControlPortA.PORT, 1, "port92", new SystemControlPortA(machine));
        I8042 i8042 = new I8042(machine, level -> vm.irqLine(I8042.KEYBOARD_IRQ, level));
        pio.insert(I8042.DATA_PORT, 1, "i8042-data", i8042.dataPort());
        pio.insert(I8042.COMMAND_PORT, 1, "i8042-command", i8042.commandPort());

        Serial16550 com1 = new Serial16550(output.apply("serial", config.serial()),
                level -> vm.irqLine(Serial16550.COM1_IRQ, level));
        pio.insert(Serial16550.COM1_BASE, Serial16550.REGISTER_COUNT, "com1", com1);
        if (config.serial() instanceof CharDevice.Stdio && console.in() != null) {
            // A terminal goes raw so that keys reach the guest; then Ctrl-A x is the way out.
            boolean tty = console.in() == System.in && Terminal.rawIfTerminal(0).map(closer::add).isPresent();
            closer.add(SerialInput.start(console.in(), com1, tty, stopper));
        }
        pio.insert(DebugExit.DEFAULT_PORT, DebugExit.SIZE, "debug-exit", new DebugExit(machine));
        pio.insert(DebugCon.DEFAULT_PORT, 1, "debugcon", new DebugCon(output.apply("debugcon", config.debugcon())));
        pio.insert(PostCode.PORT, 1, "post-code", new PostCode());

        FwCfg fwCfg = new FwCfg(true).addCpuCount(cpus);
        fwCfg.addFile("etc/e820", e820(ram).bytes());
        AcpiTables.addTo(fwCfg, acpiMachine(cpus));
        if (payload.kernel() != null && payload.firmware() != null) {
            addKernel(fwCfg, payload);
        }
        for (int i = 0; i < config.fwCfg().size(); i++) {
            FwCfgEntry e = config.fwCfg().get(i);
            fwCfg.addFile(e.name(), e.data("fw_cfg[" + i + "]"));
        }
        pio.insert(FwCfg.IO_BASE, FwCfg.IO_SIZE, "fw_cfg", fwCfg);
        pio.insert(FwCfg.DMA_BASE, FwCfg.DMA_SIZE, "fw_cfg-dma", new FwCfgDma(fwCfg, memory));
        return new Attached(pci, pm);
    }

    /** The kernel for the firmware to load (OVMF's QemuKernelLoaderFsDxe), split where QEMU splits it. */
    static void addKernel(FwCfg fwCfg, Payload payload) {
        byte[] file = payload.kernelBytes();
        int setup = BzImage.hasSetupHeader(file) ? BzImage.parse(payload.kernel()).setupSize() : 0;
        KernelItems.addTo(fwCfg, Arrays.copyOfRange(file, 0, setup), Arrays.copyOfRange(file, setup, file.length),
                payload.initrdBytes(), payload.cmdline());
    }

    /** RAM below and above the hole, and the EPT identity map and TSS pages KVM uses, reserved as QEMU does. */
    static E820Table e820(RamLayout ram) {
        E820Table t = new E820Table().add(0, ram.lowRamSize(), E820Table.RAM);
        if (ram.highRamSize() > 0) {
            t.add(RamLayout.HIGH_RAM_START, ram.highRamSize(), E820Table.RAM);
        }
        return t.add(MachineBuilder.IDENTITY_MAP_ADDR, 4 * 4096, E820Table.RESERVED);
    }
}
