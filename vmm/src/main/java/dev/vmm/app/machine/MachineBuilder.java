package dev.vmm.app.machine;

import dev.vmm.app.confidential.LaunchLogFile;
import dev.vmm.app.config.DiskConfig;
import dev.vmm.app.config.NetConfig;
import dev.vmm.app.config.CharDevice;
import dev.vmm.app.config.ConfigException;
import dev.vmm.app.config.Payload;
import dev.vmm.app.config.VmConfig;
import dev.vmm.app.config.VsockConfig;
import dev.vmm.app.devicemanager.DeviceResources;
import dev.vmm.app.devicemanager.FdNetBackend;
import dev.vmm.app.devicemanager.HybridVsock;
import dev.vmm.app.devicemanager.InterruptWiring;
import dev.vmm.app.devicemanager.VirtioPciDevices;
import dev.vmm.devices.pci.PciHost;
import dev.vmm.devices.virtio.block.VirtioBlock;
import dev.vmm.devices.virtio.console.VirtioConsole;
import dev.vmm.devices.virtio.net.VirtioNet;
import dev.vmm.core.sys.SysException;
import dev.vmm.devices.virtio.pci.VirtioPciFunction;
import dev.vmm.devices.virtio.rng.VirtioRng;
import dev.vmm.devices.virtio.vsock.VirtioVsock;
import dev.vmm.core.VmmException;
import dev.vmm.core.assist.EmulationAssist;
import dev.vmm.core.kvm.Kvm;
import dev.vmm.core.kvm.KvmCap;
import dev.vmm.core.kvm.KvmUnavailableException;
import dev.vmm.core.kvm.VcpuFd;
import dev.vmm.core.kvm.VmFd;
import dev.vmm.core.vcpu.VcpuSet;
import dev.vmm.devices.bus.Bus;
import dev.vmm.firmware.FirmwareException;
import dev.vmm.firmware.FirmwareImage;
import dev.vmm.firmware.boot.BootMethod;
import dev.vmm.memory.GuestMemory;
import dev.vmm.memory.GuestMemoryBuilder;
import dev.vmm.memory.RamLayout;
import dev.vmm.sev.launch.ConfidentialBoot;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The composition root: builds a {@link Machine} from a {@link VmConfig} in a fixed order, one named
 * step each, which is also a confidential launch's order (the {@link BootMethod} hooks: INIT before
 * memory is registered, the measured pages once the payload is in memory, the VMSAs after every vCPU
 * has its registers). A failing step closes what earlier steps opened and is reported by name.
 */
public final class MachineBuilder {
    /** QEMU's choices: the EPT identity-map page and the three TSS pages just below the 16 MiB flash window. */
    static final long IDENTITY_MAP_ADDR = 0xfeffc000L;
    static final long TSS_ADDR = 0xfeffd000L;

    private final VmConfig config;
    private final Console console;
    private final Consumer<ConfidentialBoot.Launched> launchReport;
    private final Closer closer = new Closer();

    private MachineBuilder(VmConfig config, Console console, Consumer<ConfidentialBoot.Launched> launchReport) {
        this.config = config.validate();
        this.console = console;
        this.launchReport = launchReport;
    }

    public static Machine build(VmConfig config, Console console) {
        return build(config, console, r -> { });
    }

    /** @param launchReport receives a finished confidential launch, before any vCPU runs */
    public static Machine build(VmConfig config, Console console, Consumer<ConfidentialBoot.Launched> launchReport) {
        return new MachineBuilder(config, console, launchReport).build();
    }

    private Machine build() {
        try {
            Payload payload = step("read the payload", this::readPayload);
            Kvm kvm = step("open " + config.platform().kvmDevice(),
                    () -> closer.add(Kvm.open(config.platform().kvmDevice().toString())));
            GuestMemoryFit.check(config.memory().size(), kvm.supportedCpuid());
            BootMethod boot = step("prepare the boot", () -> BootMethods.of(config, payload, kvm, this::launched));
            VmFd vm = step("create VM", () -> createVm(kvm, boot.vmType()));
            GuestMemory memory = step("map guest memory", () -> mapMemory(boot));
            run("register guest memory", () -> boot.registerMemory(vm, memory).forEach(closer::add));
            Bus pio = new Bus("pio");
            Bus mmio = new Bus("mmio");
            EmulationAssist assist = config.platform().emulationAssist()
                    ? new EmulationAssist(new GuestPhysicalMemory(memory)) : null;
            VcpuSet vcpus = closer.add(new VcpuSet(boot.exitHandler(new BusExitHandler(pio, mmio)), assist));
            run("load the payload", () -> boot.load(memory));
            DeviceResources resources = step("plan device resources", () -> DeviceResources.pc(PcPlatform.PCI32_BASE,
                    PcPlatform.PCI32_END, RamLayout.forSize(config.memory().size()), vm.checkExtension(KvmCap.IRQ_ROUTING)));
            PcPlatform.Attached platform = step("attach devices", () -> PcPlatform.attach(config, payload, console, vm, memory, pio, resources,
                    vcpus, closer, this::output));
            List<VirtioPciFunction> virtio = config.disks().isEmpty() && config.nets().isEmpty() && config.rng() == null
                    && config.console() == null && config.vsock() == null
                    ? List.of()
                    : step("attach virtio devices", () -> attachVirtio(vm, memory, platform.pci(), mmio, resources, vcpus));
            if (config.payload().firmwareVars() != null) {
                run("attach the variable store", () -> FlashVars.attach(config.payload().firmwareVars(), payload.firmware().gpa(),
                        vm, mmio, closer));
            }
            run("create vCPUs", () -> createVcpus(kvm, vm, vcpus, boot));
            run("finish the boot", boot::finish);
            return new Machine(vcpus, memory, pio, mmio, assist, closer, virtio, platform.pm());
        } catch (RuntimeException e) {
            try {
                closer.close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private Payload readPayload() {
        Payload payload = Payload.read(config.payload());
        FirmwareImage image = payload.firmware();
        if (image != null && image.size() > RamLayout.FIRMWARE_END - RamLayout.LOW_RAM_LIMIT) {
            throw new FirmwareException(image.source() + " is larger than the space below 4 GiB");
        }
        return payload;
    }

    private VmFd createVm(Kvm kvm, int type) {
        VmFd vm = closer.add(kvm.createVm(type));
        requireCap(vm, KvmCap.IRQCHIP);
        requireCap(vm, KvmCap.IMMEDIATE_EXIT);
        vm.setIdentityMapAddr(IDENTITY_MAP_ADDR);
        vm.setTssAddr(TSS_ADDR);
        vm.createIrqchip();
        vm.setGsiRouting(PcPlatform.ROUTES);
        vm.createPit2(VmFd.PIT_SPEAKER_DUMMY);
        return vm;
    }

    private static void requireCap(VmFd vm, KvmCap cap) {
        if (vm.checkExtension(cap) <= 0) {
            throw new KvmUnavailableException("this KVM lacks " + cap.cName() + ", which the VMM needs", null);
        }
    }

    private GuestMemory mapMemory(BootMethod boot) {
        GuestMemoryBuilder builder = new GuestMemoryBuilder().hugetlb(config.memory().hugepages());
        RamLayout ram = RamLayout.forSize(config.memory().size());
        ram.addTo(builder);
        boot.addRegions(builder, ram);
        return closer.add(builder.build());
    }

    /**
     * The virtio devices on the PCI bus. Without external firmware (the test guest, a direct kernel
     * boot) the VMM assigns their BARs as firmware would; OVMF assigns its own.
     */
    private List<VirtioPciFunction> attachVirtio(VmFd vm, GuestMemory memory, PciHost pci, Bus mmio,
                                                 DeviceResources resources, VcpuSet vcpus) {
        boolean assignBars = config.payload().firmware() == null;
        boolean accessPlatform = config.confidential() != null;
        var wiring = new InterruptWiring(vm, resources.gsis(), PcPlatform.ROUTES);
        var devices = closer.add(new VirtioPciDevices(vm, memory, pci, mmio, resources, wiring));
        for (int i = 0; i < config.disks().size(); i++) {
            DiskConfig d = config.disks().get(i);
            try {
                devices.add(new VirtioBlock("virtio-blk" + i, d.path(), d.readonly()), assignBars, accessPlatform);
            } catch (IOException e) {
                throw new ConfigException("disks[" + i + "].path", "cannot open " + d.path() + ": " + e.getMessage());
            }
        }
        for (int i = 0; i < config.nets().size(); i++) {
            NetConfig n = config.nets().get(i);
            FdNetBackend backend;
            try {
                backend = n.tap() != null ? FdNetBackend.tap(n.tap()) : FdNetBackend.socket(n.socket());
            } catch (SysException e) {
                throw new ConfigException("nets[" + i + "]." + (n.tap() != null ? "tap" : "socket"), e.getMessage());
            }
            devices.addNet(new VirtioNet("virtio-net" + i, n.macBytes(i), backend), backend, assignBars, accessPlatform);
        }
        if (config.rng() != null) {
            devices.add(new VirtioRng("virtio-rng0"), assignBars, accessPlatform);
        }
        if (config.vsock() != null) {
            VsockConfig v = config.vsock();
            HybridVsock host;
            try {
                host = new HybridVsock("virtio-vsock0", v.cid(), v.socket());
            } catch (SysException e) {
                throw new ConfigException("vsock.socket", e.getMessage());
            }
            devices.addVsock(new VirtioVsock("virtio-vsock0", v.cid(), host, host::wake), host, assignBars, accessPlatform);
        }
        if (config.console() != null) {
            var function = new AtomicReference<VirtioPciFunction>();
            var console = new VirtioConsole("virtio-console0", output("console", config.console()),
                    () -> { var f = function.get(); if (f != null) f.wake(0); });
            function.set(devices.add(console, assignBars, accessPlatform));
            // stdin is the console's only where the serial port does not have it already.
            if (config.console() instanceof CharDevice.Stdio && !(config.serial() instanceof CharDevice.Stdio)
                    && this.console.in() != null) {
                closer.add(SerialInput.start(this.console.in(), console::input, false, vcpus));
            }
        }
        return devices.functions();
    }

    private OutputStream output(String field, CharDevice device) {
        return switch (device) {
            case CharDevice.Stdio s -> console.out();
            case CharDevice.None n -> null;
            case CharDevice.File(var path) -> {
                try {
                    yield closer.add(new FileOutputStream(path.toFile()));
                } catch (IOException e) {
                    throw new ConfigException(field, "cannot open " + path + ": " + e.getMessage());
                }
            }
        };
    }

    private void createVcpus(Kvm kvm, VmFd vm, VcpuSet vcpus, BootMethod boot) {
        int cpus = config.cpus().count();
        int max = kvm.checkExtension(KvmCap.MAX_VCPUS);
        if (cpus > max) {
            throw new ConfigException("cpus.count", cpus + ": this KVM allows at most " + max);
        }
        for (int i = 0; i < cpus; i++) {
            VcpuFd vcpu = vm.createVcpu(i);
            vcpus.add(vcpu);
            boot.setUpVcpu(vcpu, i, cpus);
        }
    }

    /** The confidential launch finished: the launch log, then whoever asked for the result. */
    private void launched(ConfidentialBoot.Launched l) {
        var log = config.confidential().launchLog();
        if (log != null) {
            LaunchLogFile.write(log, l);
        }
        launchReport.accept(l);
    }

    private interface Step<T> {
        T run() throws Exception;
    }

    /** Runs a step; an error that already says what is wrong passes as it is, any other gets the step's name. */
    private <T> T step(String name, Step<T> step) {
        try {
            return step.run();
        } catch (VmmException e) {
            throw e;
        } catch (Exception e) {
            throw new BuildException(name, e);
        }
    }

    private void run(String name, Runnable step) {
        step(name, () -> {
            step.run();
            return null;
        });
    }
}
