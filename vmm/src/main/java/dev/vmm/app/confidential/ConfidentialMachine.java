package dev.vmm.app.confidential;

import dev.vmm.app.config.ConfidentialConfig;
import dev.vmm.app.config.ConfidentialConfig.PspKind;
import dev.vmm.core.kvm.CpuidEntry;
import dev.vmm.core.kvm.Kvm;
import dev.vmm.core.kvm.KvmCap;
import dev.vmm.core.kvm.VmFd;
import dev.vmm.core.sys.Fd;
import dev.vmm.core.sys.Syscalls;
import dev.vmm.core.vcpu.ExitHandler;
import dev.vmm.firmware.FirmwareImage;
import dev.vmm.firmware.ovmf.OvmfImage;
import dev.vmm.memory.GuestMemory;
import dev.vmm.memory.MemoryAttributes;
import dev.vmm.memory.MemorySlots;
import dev.vmm.sev.SevMode;
import dev.vmm.sev.cpu.GuestCpuid;
import dev.vmm.sev.kvm.KvmSevTransport;
import dev.vmm.sev.launch.ConfidentialLaunch;
import dev.vmm.sev.launch.LaunchCalculator;
import dev.vmm.sev.launch.LaunchPlan;
import dev.vmm.sev.launch.LaunchPlanner;
import dev.vmm.sev.launch.SevHostSupport;
import dev.vmm.sev.launch.SnpPageStates;
import dev.vmm.sev.psp.KvmPsp;
import dev.vmm.sev.psp.Psp;
import dev.vmm.sev.psp.SimulatedPsp;
import dev.vmm.sev.vmsa.LaunchVcpuState;
import java.util.ArrayList;
import java.util.List;

/**
 * The confidential half of building a machine: what changes in the VM type, guest memory, vCPU state
 * and exits, and the launch itself, for one {@link ConfidentialConfig}. {@code MachineBuilder} calls
 * it at each step; the order of those calls is the launch order.
 */
public final class ConfidentialMachine {
    private final ConfidentialConfig config;
    private final int cpus;
    private final LaunchInputs inputs;
    private final GuestCpuid cpuid;
    private final LaunchPlan plan;
    private final boolean legacyInit;
    private MemoryAttributes attributes;
    private ConfidentialLaunch launch;
    private List<LaunchVcpuState> states = List.of();

    private ConfidentialMachine(ConfidentialConfig config, int cpus, LaunchInputs inputs, GuestCpuid cpuid,
                                LaunchPlan plan, boolean legacyInit) {
        this.config = config;
        this.cpus = cpus;
        this.inputs = inputs;
        this.cpuid = cpuid;
        this.plan = plan;
        this.legacyInit = legacyInit;
    }

    /** Everything decided before the VM exists: host support, CPU model, CPUID, the launch plan. */
    public static ConfidentialMachine prepare(ConfidentialConfig config, FirmwareImage firmware, int cpus, Kvm kvm) {
        SevMode mode = config.mode();
        boolean simulated = config.psp() == PspKind.SIMULATED;
        if (!simulated) {
            SevHostSupport.require(mode, kvm);
        }
        boolean legacy = !simulated && (kvm.supportedVmTypes() & 1L << mode.vmType()) == 0;
        List<CpuidEntry> supported = kvm.supportedCpuid();
        LaunchInputs inputs = LaunchInputs.read(config, firmware, supported);
        GuestCpuid cpuid = GuestCpuid.of(inputs.cpu(), mode, supported);
        byte[] cpuidPage = mode == SevMode.SEV_SNP ? cpuid.snpTable(cpus).page() : null;
        LaunchPlan plan = LaunchPlanner.plan(mode, inputs.ovmf(), inputs.hashTable(), cpuidPage, cpus,
                inputs.cpu().signature(), config.guestFeatures());
        return new ConfidentialMachine(config, cpus, inputs, cpuid, plan, legacy);
    }

    /** KVM_X86_SEV_VM and friends; the default type when simulated, or for the legacy SEV_INIT path. */
    public int vmType() {
        return config.psp() == PspKind.SIMULATED || legacyInit ? Kvm.VM_TYPE_DEFAULT : config.mode().vmType();
    }

    /** Firmware for confidential guests is RAM: it is encrypted (measured) like any other launch page. */
    public boolean firmwareAsRam() {
        return true;
    }

    public OvmfImage ovmf() {
        return inputs.ovmf();
    }

    /**
     * Opens the PSP and issues INIT: before any vCPU. Registers guest memory the way the mode needs
     * (guest_memfd for real SNP). Returns what the machine must close.
     */
    public List<AutoCloseable> attach(VmFd vm, GuestMemory memory) {
        List<AutoCloseable> owned = new ArrayList<>();
        boolean realSnp = config.mode() == SevMode.SEV_SNP && config.psp() == PspKind.KVM;
        attributes = new MemoryAttributes(realSnp
                ? (gpa, size, priv) -> vm.setMemoryAttributes(gpa, size, priv ? VmFd.MEMORY_ATTRIBUTE_PRIVATE : 0)
                : (gpa, size, priv) -> { });
        Psp psp;
        if (config.psp() == PspKind.SIMULATED) {
            psp = new SimulatedPsp(memory, attributes);
        } else {
            // Read-only will do: KVM only checks that the fd is /dev/sev (sev_issue_cmd_external_user).
            Fd sev = Syscalls.open(SevHostSupport.SEV_DEVICE.toString(), Syscalls.O_RDONLY);
            owned.add(sev);
            psp = new KvmPsp(new KvmSevTransport(vm, sev), legacyInit);
        }
        owned.add(psp);
        var id = config.idBlock();
        launch = new ConfidentialLaunch(plan, new ConfidentialLaunch.Options(config.effectivePolicy(),
                config.hostData(), id == null ? null : id.idBlock(), id == null ? null : id.idAuth(),
                id != null && id.authorKey()), psp, memory, attributes, !legacyInit);
        launch.init();
        if (realSnp) {
            vm.enableCap(KvmCap.EXIT_HYPERCALL, 1L << SnpPageStates.HC_MAP_GPA_RANGE);
            owned.addAll(MemorySlots.registerWithGuestMemfd(vm, memory));
        } else {
            MemorySlots.register(vm, memory);
            if (config.psp() == PspKind.KVM) {
                for (var r : memory.regions()) {
                    owned.add(MemorySlots.registerEncrypted(vm, r));
                }
            }
        }
        return owned;
    }

    /** LAUNCH_START and the measured ranges: after the firmware is in guest memory. */
    public void startAndImport() {
        launch.start();
        launch.importRanges();
    }

    /** The CPUID for vCPU {@code index}: the model's ({@link GuestCpuid}) with this vCPU's topology. */
    public List<CpuidEntry> cpuidFor(int index) {
        return cpuid.forVcpu(index, cpus);
    }

    /** The launch register state of every vCPU (QEMU's reset state for the mode). */
    public List<LaunchVcpuState> launchStates() {
        if (states.isEmpty()) {
            states = LaunchCalculator.resetStates(plan);
        }
        return states;
    }

    public ConfidentialLaunch.Result finish(List<LaunchVcpuState> applied) {
        return launch.finish(applied);
    }

    /** SNP guests convert pages at run time; everything else goes to {@code base}. */
    public ExitHandler exitHandler(ExitHandler base) {
        if (config.mode() != SevMode.SEV_SNP) {
            return base;
        }
        return new SnpExitHandler(base, new SnpPageStates(attributes));
    }

    public ConfidentialConfig config() {
        return config;
    }

    public LaunchInputs inputs() {
        return inputs;
    }

    LaunchPlan planView() {
        return plan;
    }
}
