package dev.vmm.sev.launch;

import dev.vmm.core.kvm.CpuidEntry;
import dev.vmm.core.kvm.Kvm;
import dev.vmm.core.kvm.KvmCap;
import dev.vmm.core.kvm.VcpuFd;
import dev.vmm.core.kvm.VmFd;
import dev.vmm.core.sys.Fd;
import dev.vmm.core.sys.Syscalls;
import dev.vmm.core.vcpu.ExitHandler;
import dev.vmm.firmware.FirmwareImage;
import dev.vmm.firmware.boot.BootMethod;
import dev.vmm.firmware.ovmf.OvmfImage;
import dev.vmm.memory.GuestMemory;
import dev.vmm.memory.GuestMemoryBuilder;
import dev.vmm.memory.MemoryAttributes;
import dev.vmm.memory.MemorySlots;
import dev.vmm.memory.RamLayout;
import dev.vmm.memory.RegionKind;
import dev.vmm.sev.SevMode;
import dev.vmm.sev.cpu.GuestCpuid;
import dev.vmm.sev.kvm.KvmSevTransport;
import dev.vmm.sev.psp.KvmPsp;
import dev.vmm.sev.psp.Psp;
import dev.vmm.sev.psp.PspKind;
import dev.vmm.sev.psp.SimulatedPsp;
import dev.vmm.sev.vmsa.LaunchVcpuState;
import dev.vmm.sev.vmsa.VcpuLaunchSetup;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * A confidential launch as a {@link BootMethod}, in QEMU's order: the VM type of the mode; the
 * firmware as RAM, since every launch page is encrypted; the PSP opened and INIT before memory is
 * registered (guest_memfd for real SNP); LAUNCH_START and the measured pages once the firmware is in
 * memory; each vCPU's CPUID and QEMU's reset registers for the mode; LAUNCH_FINISH (the VMSAs) last.
 */
public final class ConfidentialBoot implements BootMethod {
    /** What a finished launch hands its listener: the result and what it was launched from. */
    public record Launched(ConfidentialLaunch.Result result, LaunchSettings settings, LaunchPlan plan, String firmware) {}

    private final LaunchSettings settings;
    private final OvmfImage ovmf;
    private final GuestCpuid cpuid;
    private final LaunchPlan plan;
    private final boolean legacyInit;
    private final Consumer<Launched> onFinish;
    private MemoryAttributes attributes;
    private ConfidentialLaunch launch;
    private List<LaunchVcpuState> states = List.of();

    private ConfidentialBoot(LaunchSettings settings, OvmfImage ovmf, GuestCpuid cpuid, LaunchPlan plan,
                             boolean legacyInit, Consumer<Launched> onFinish) {
        this.settings = settings;
        this.ovmf = ovmf;
        this.cpuid = cpuid;
        this.plan = plan;
        this.legacyInit = legacyInit;
        this.onFinish = onFinish;
    }

    /** Everything decided before the VM exists: host support, the guest's CPUID, the launch plan. */
    public static ConfidentialBoot prepare(LaunchSettings settings, FirmwareImage firmware, int cpus, Kvm kvm,
                                           Consumer<Launched> onFinish) {
        SevMode mode = settings.mode();
        boolean simulated = settings.psp() == PspKind.SIMULATED;
        if (!simulated) {
            SevHostSupport.require(mode, kvm);
        }
        // Kernels before 6.10 offer no SEV VM types: SEV and SEV-ES then take KVM_SEV_INIT, as QEMU does.
        boolean legacy = !simulated && (kvm.supportedVmTypes() & 1L << mode.vmType()) == 0;
        OvmfImage ovmf = OvmfImage.parse(firmware);
        List<CpuidEntry> supported = kvm.supportedCpuid();
        GuestCpuid cpuid = GuestCpuid.of(settings.cpu(), mode, supported);
        byte[] cpuidPage = mode == SevMode.SEV_SNP ? cpuid.snpTable(cpus).page() : null;
        LaunchPlan plan = LaunchPlanner.plan(mode, ovmf, settings.hashTable(), cpuidPage, cpus,
                settings.cpu().signature(), settings.guestFeatures());
        return new ConfidentialBoot(settings, ovmf, cpuid, plan, legacy, onFinish);
    }

    /** KVM_X86_SEV_VM and friends; the default type when simulated, or for the legacy SEV_INIT path. */
    @Override
    public int vmType() {
        return settings.psp() == PspKind.SIMULATED || legacyInit ? Kvm.VM_TYPE_DEFAULT : settings.mode().vmType();
    }

    /** The firmware as RAM: it is encrypted (measured) like any other launch page. */
    @Override
    public void addRegions(GuestMemoryBuilder memory, RamLayout ram) {
        FirmwareImage image = ovmf.image();
        memory.add(FirmwareImage.REGION_NAME, image.gpa(), image.size(), RegionKind.RAM);
        ovmf.checkSectionsInside(page -> page + GuestMemoryBuilder.PAGE_SIZE <= ram.lowRamSize());
    }

    /** Opens the PSP and issues INIT, then registers memory the way the mode needs. */
    @Override
    public List<AutoCloseable> registerMemory(VmFd vm, GuestMemory memory) {
        List<AutoCloseable> owned = new ArrayList<>();
        boolean realSnp = settings.mode() == SevMode.SEV_SNP && settings.psp() == PspKind.KVM;
        attributes = new MemoryAttributes(realSnp
                ? (gpa, size, priv) -> vm.setMemoryAttributes(gpa, size, priv ? VmFd.MEMORY_ATTRIBUTE_PRIVATE : 0)
                : (gpa, size, priv) -> { });
        Psp psp;
        if (settings.psp() == PspKind.SIMULATED) {
            psp = new SimulatedPsp(memory, attributes);
        } else {
            // Read-only will do: KVM only checks that the fd is /dev/sev (sev_issue_cmd_external_user).
            Fd sev = Syscalls.open(SevHostSupport.SEV_DEVICE.toString(), Syscalls.O_RDONLY);
            owned.add(sev);
            psp = new KvmPsp(new KvmSevTransport(vm, sev), legacyInit);
        }
        owned.add(psp);
        launch = new ConfidentialLaunch(plan, settings.options(), psp, memory, attributes, !legacyInit);
        launch.init();
        if (realSnp) {
            vm.enableCap(KvmCap.EXIT_HYPERCALL, 1L << SnpPageStates.HC_MAP_GPA_RANGE);
            owned.addAll(MemorySlots.registerWithGuestMemfd(vm, memory));
        } else {
            MemorySlots.register(vm, memory);
            if (settings.psp() == PspKind.KVM) {
                for (var r : memory.regions()) {
                    owned.add(MemorySlots.registerEncrypted(vm, r));
                }
            }
        }
        return owned;
    }

    /** SNP guests convert pages at run time; every other exit goes to {@code platform}. */
    @Override
    public ExitHandler exitHandler(ExitHandler platform) {
        if (settings.mode() != SevMode.SEV_SNP) {
            return platform;
        }
        return new SnpExitHandler(platform, new SnpPageStates(attributes));
    }

    /** The firmware, then LAUNCH_START and the measured ranges. */
    @Override
    public void load(GuestMemory memory) {
        ovmf.image().loadInto(memory);
        launch.start();
        launch.importRanges();
    }

    /** The model's CPUID with this vCPU's topology, and QEMU's reset registers for the mode. */
    @Override
    public void setUpVcpu(VcpuFd vcpu, int index, int cpus) {
        vcpu.setCpuid(cpuid.forVcpu(index, cpus));
        VcpuLaunchSetup.apply(vcpu, launchStates().get(index));
    }

    /** LAUNCH_UPDATE_VMSA (SEV-ES, SNP) and LAUNCH_FINISH; the listener gets the digest before any vCPU runs. */
    @Override
    public void finish() {
        onFinish.accept(new Launched(launch.finish(launchStates()), settings, plan, ovmf.image().source()));
    }

    private List<LaunchVcpuState> launchStates() {
        if (states.isEmpty()) {
            states = LaunchCalculator.resetStates(plan);
        }
        return states;
    }
}
