package dev.vmm.app.machine;

import dev.vmm.app.confidential.ConfidentialMachine;
import dev.vmm.app.confidential.LaunchLogFile;
import dev.vmm.app.config.CharDevice;
import dev.vmm.app.config.ConfigException;
import dev.vmm.app.config.VmConfig;
import dev.vmm.core.arch.CpuidSetup;
import dev.vmm.core.assist.EmulationAssist;
import dev.vmm.core.kvm.CpuidEntry;
import dev.vmm.core.kvm.Kvm;
import dev.vmm.core.kvm.KvmCap;
import dev.vmm.core.kvm.KvmUnavailableException;
import dev.vmm.core.kvm.VcpuFd;
import dev.vmm.core.kvm.VmFd;
import dev.vmm.core.vcpu.ExitHandler;
import dev.vmm.core.vcpu.VcpuSet;
import dev.vmm.devices.bus.Bus;
import dev.vmm.devices.bus.BusExitHandler;
import dev.vmm.firmware.FirmwareException;
import dev.vmm.firmware.FirmwareImage;
import dev.vmm.memory.GuestMemory;
import dev.vmm.memory.GuestMemoryBuilder;
import dev.vmm.memory.MemorySlots;
import dev.vmm.memory.RamLayout;
import dev.vmm.memory.RegionKind;
import dev.vmm.sev.launch.ConfidentialLaunch;
import dev.vmm.sev.launch.LaunchException;
import dev.vmm.sev.vmsa.VcpuLaunchSetup;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.function.Consumer;

/**
 * The composition root: builds a {@link Machine} from a {@link VmConfig} in a fixed order, one method
 * per step. For a confidential guest the order is also the launch's: INIT before the vCPUs, the
 * measured ranges after the firmware is loaded, the VMSAs after every vCPU has its registers. A
 * failing step closes what earlier steps opened and is reported by name.
 */
public final class MachineBuilder {
    /** QEMU's choices: the EPT identity-map page and the three TSS pages just below the 16 MiB flash window. */
    static final long IDENTITY_MAP_ADDR = 0xfeffc000L;
    static final long TSS_ADDR = 0xfeffd000L;

    private final VmConfig config;
    private final Console console;
    private final Consumer<ConfidentialLaunch.Result> launchReport;
    private final Closer closer = new Closer();

    private MachineBuilder(VmConfig config, Console console, Consumer<ConfidentialLaunch.Result> launchReport) {
        this.config = config.validate();
        this.console = console;
        this.launchReport = launchReport;
    }

    public static Machine build(VmConfig config, Console console) {
        return build(config, console, r -> { });
    }

    /** @param launchReport receives the result of a confidential launch, before any vCPU runs */
    public static Machine build(VmConfig config, Console console, Consumer<ConfidentialLaunch.Result> launchReport) {
        return new MachineBuilder(config, console, launchReport).build();
    }

    private Machine build() {
        try {
            FirmwareImage firmware = step("firmware", this::readFirmware);
            Kvm kvm = step("open " + config.kvmDevice(), () -> closer.add(Kvm.open(config.kvmDevice().toString())));
            ConfidentialMachine conf = config.confidential() == null ? null : step("prepare the confidential launch",
                    () -> ConfidentialMachine.prepare(config.confidential(), firmware, config.cpus(), kvm));
            VmFd vm = step("create VM", () -> createVm(kvm, conf));
            GuestMemory memory = step("map guest memory", () -> mapMemory(firmware, conf));
            if (conf == null) {
                run("register guest memory", () -> MemorySlots.register(vm, memory));
            } else {
                run("confidential init", () -> conf.attach(vm, memory).forEach(closer::add));
            }
            run("load firmware", () -> firmware.loadInto(memory));
            Bus pio = new Bus("pio");
            Bus mmio = new Bus("mmio");
            ExitHandler buses = new BusExitHandler(pio, mmio);
            EmulationAssist assist = config.emulationAssist() ? new EmulationAssist(new GuestPhysicalMemory(memory)) : null;
            VcpuSet vcpus = closer.add(new VcpuSet(conf == null ? buses : conf.exitHandler(buses), assist));
            run("attach devices", () -> PcPlatform.attach(config, console, vm, memory, pio, vcpus, closer, this::output));
            if (config.firmwareVars() != null) {
                run("attach the variable store", () -> FlashVars.attach(config.firmwareVars(), firmware.gpa(), vm, mmio,
                        closer));
            }
            if (conf != null) {
                run("confidential launch", conf::startAndImport);
            }
            run("create vCPUs", () -> createVcpus(kvm, vm, vcpus, conf));
            if (conf != null) {
                ConfidentialLaunch.Result result = step("confidential launch finish",
                        () -> conf.finish(conf.launchStates()));
                if (conf.config().launchLog() != null) {
                    run("write the launch log", () -> LaunchLogFile.write(conf.config().launchLog(), result, conf));
                }
                launchReport.accept(result);
            }
            return new Machine(vcpus, memory, pio, mmio, assist, closer);
        } catch (RuntimeException e) {
            try {
                closer.close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private FirmwareImage readFirmware() {
        FirmwareImage image = config.firmware() == null ? FirmwareImage.testGuest() : FirmwareImage.read(config.firmware());
        if (image.size() > RamLayout.FIRMWARE_END - RamLayout.LOW_RAM_LIMIT) {
            throw new FirmwareException(image.source() + " is larger than the space below 4 GiB");
        }
        return image;
    }

    private VmFd createVm(Kvm kvm, ConfidentialMachine conf) {
        VmFd vm = closer.add(kvm.createVm(conf == null ? Kvm.VM_TYPE_DEFAULT : conf.vmType()));
        requireCap(vm, KvmCap.IRQCHIP);
        requireCap(vm, KvmCap.IMMEDIATE_EXIT);
        vm.setIdentityMapAddr(IDENTITY_MAP_ADDR);
        vm.setTssAddr(TSS_ADDR);
        vm.createIrqchip();
        vm.createPit2(VmFd.PIT_SPEAKER_DUMMY);
        return vm;
    }

    private static void requireCap(VmFd vm, KvmCap cap) {
        if (vm.checkExtension(cap) <= 0) {
            throw new KvmUnavailableException("this KVM lacks " + cap.cName() + ", which the VMM needs", null);
        }
    }

    private GuestMemory mapMemory(FirmwareImage firmware, ConfidentialMachine conf) {
        GuestMemoryBuilder builder = new GuestMemoryBuilder().hugetlb(config.hugepages());
        RamLayout.forSize(config.memoryBytes()).addTo(builder);
        if (conf != null && conf.firmwareAsRam()) {
            builder.add(FirmwareImage.REGION_NAME, firmware.gpa(), firmware.size(), RegionKind.RAM);
            long lowRam = RamLayout.forSize(config.memoryBytes()).lowRamSize();
            conf.ovmf().checkSectionsInside(page -> page + GuestMemoryBuilder.PAGE_SIZE <= lowRam);
        } else {
            firmware.addTo(builder);
        }
        return closer.add(builder.build());
    }

    private OutputStream output(String option, CharDevice device) {
        return switch (device) {
            case CharDevice.Stdio s -> console.out();
            case CharDevice.None n -> null;
            case CharDevice.File(var path) -> {
                try {
                    yield closer.add(new FileOutputStream(path.toFile()));
                } catch (IOException e) {
                    throw new ConfigException(option + ": cannot open " + path + ": " + e.getMessage());
                }
            }
        };
    }

    private void createVcpus(Kvm kvm, VmFd vm, VcpuSet vcpus, ConfidentialMachine conf) {
        int max = kvm.checkExtension(KvmCap.MAX_VCPUS);
        if (config.cpus() > max) {
            throw new ConfigException("--cpus " + config.cpus() + ": this KVM allows at most " + max);
        }
        List<CpuidEntry> supported = conf == null ? kvm.supportedCpuid() : null;
        for (int i = 0; i < config.cpus(); i++) {
            VcpuFd vcpu = vm.createVcpu(i);
            vcpus.add(vcpu);
            vcpu.setCpuid(conf == null ? CpuidSetup.forVcpu(supported, i, config.cpus()) : conf.cpuidFor(i));
            if (conf != null) {
                VcpuLaunchSetup.apply(vcpu, conf.launchStates().get(i));
            }
        }
    }

    private interface Step<T> {
        T run() throws Exception;
    }

    private <T> T step(String name, Step<T> step) {
        try {
            return step.run();
        } catch (KvmUnavailableException | FirmwareException | BuildException | ConfigException | LaunchException e) {
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
