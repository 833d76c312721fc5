package dev.vmm.app.cli;

import dev.vmm.app.config.CharDevice;
import dev.vmm.app.config.ConfidentialConfig;
import dev.vmm.app.config.ConfigException;
import dev.vmm.app.config.Hex;
import dev.vmm.sev.SevMode;
import dev.vmm.sev.psp.PspKind;
import dev.vmm.app.config.DiskConfig;
import dev.vmm.app.config.FwCfgEntry;
import dev.vmm.app.config.NetConfig;
import dev.vmm.app.config.RngConfig;
import dev.vmm.app.config.Sizes;
import dev.vmm.app.config.VmConfig;
import dev.vmm.app.config.VsockConfig;
import dev.vmm.app.machine.Console;
import dev.vmm.app.machine.ExitStatus;
import dev.vmm.app.machine.Footprint;
import dev.vmm.app.machine.GuestMemoryFit;
import dev.vmm.app.machine.Machine;
import dev.vmm.app.machine.MachineBuilder;
import dev.vmm.core.vcpu.StopReason;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code vmm run}: build a VM, run it until it stops, exit with the guest's status. Its options are
 * declared in code, not in annotations, because it is the start-up path (see {@link OptionTable}).
 */
public final class RunCommand implements Callable<Integer> {
    Path firmware;
    Path firmwareVars;
    // Defaults are the option table's (spec()): picocli sets them before each parse.
    String memory;
    int cpus;
    String serial;
    String debugcon;
    final List<String> fwCfg = new ArrayList<>();
    final List<String> disks = new ArrayList<>();
    final List<String> nets = new ArrayList<>();
    boolean rng;
    String console;
    String vsock;
    boolean hugepages;
    Path kvmDevice;
    boolean noEmulationAssist;
    boolean verbose;
    String confidential;
    String policy;
    String psp;
    String hostData;
    Path idBlock;
    Path idAuth;
    boolean authorKeyEnabled;
    final LaunchOptions launch = new LaunchOptions();
    Path configFile;
    Path apiSocket;
    private CommandSpec spec;

    /** The command's picocli model; the options in the order of the usage. */
    CommandSpec spec() {
        spec = CommandSpec.wrapWithoutInspection(this).name("run");
        spec.usageMessage().sortOptions(false).description(
                "Boot a VM. Without --firmware it boots the embedded test guest.",
                "Exit status: the guest's (debug-exit device), 0 on power-off or reset, 3 if the guest crashed, 1 on a "
                        + "VMM error, 128 + N after signal N.");
        new OptionTable(spec)
                .path("--firmware", "FILE", null, "Firmware image mapped to end at 4 GiB (OVMF.fd, a BIOS).",
                        v -> firmware = v)
                .path("--firmware-vars", "FILE", null, "UEFI variable store as a CFI flash below the firmware (a copy "
                        + "of OVMF_VARS.fd); variables the guest writes are written to the file.", v -> firmwareVars = v)
                .text("-m, --memory", "SIZE", "128M", "Guest RAM, e.g. 512M or 2G (default: ${DEFAULT-VALUE}).",
                        v -> memory = v)
                .number("--cpus", "N", "1", "Number of vCPUs (default: ${DEFAULT-VALUE}).", v -> cpus = v)
                .text("--serial", "stdio|file:PATH|none", "stdio",
                        "Where COM1 goes (default: ${DEFAULT-VALUE}); stdio also feeds stdin to the guest.", v -> serial = v)
                .text("--debugcon", "stdio|file:PATH|none", "none",
                        "Where the debug console on port 0x402 goes (default: ${DEFAULT-VALUE}).", v -> debugcon = v)
                .repeated("--fw-cfg", "name=NAME,string=TEXT|file=PATH",
                        "Add a fw_cfg file for the guest, as QEMU's -fw_cfg (repeatable).", fwCfg)
                .repeated("--disk", "path=FILE[,readonly=on]", "A virtio-blk disk on a raw image file (repeatable).", disks)
                .repeated("--net", "tap=NAME|socket=PATH[,mac=MAC]", "A virtio-net interface on a host TAP device or a "
                        + "unix datagram socket a peer bound (repeatable).", nets)
                .flag("--rng", "A virtio-rng device (bytes from the host's getrandom).", v -> rng = v)
                .text("--console", "stdio|file:PATH|none", "none", "A virtio-console (hvc0): its output on stdout or in "
                        + "a file (default: ${DEFAULT-VALUE}); with stdio and --serial other than stdio, stdin goes to it.",
                        v -> console = v)
                .text("--vsock", "cid=N,socket=PATH", null, "A virtio-vsock device: the guest's CID, and the unix socket "
                        + "host programs connect to (writing CONNECT PORT); guest connections to host port P go to PATH_P.",
                        v -> vsock = v)
                .flag("--hugepages", "Back guest RAM with hugetlbfs 2 MiB pages.", v -> hugepages = v)
                .path("--kvm-device", "PATH", "/dev/kvm", "The KVM device (default: ${DEFAULT-VALUE}).", v -> kvmDevice = v)
                .flag("--no-emulation-assist",
                        "Stop the VM on instructions KVM cannot emulate instead of completing them in userspace.",
                        v -> noEmulationAssist = v)
                .flag("-v, --verbose", "Log device and VM events to stderr.", v -> verbose = v)
                .text("--confidential", "sev|sev-es|sev-snp", null,
                        "Launch a confidential guest: SEV, SEV-ES or SEV-SNP through the PSP, then run it.",
                        v -> confidential = v)
                .text("--policy", "HEX", null,
                        "Guest policy (default: QEMU's, 0x1 for sev, 0x5 for sev-es, 0x30000 for sev-snp).", v -> policy = v)
                .text("--psp", "kvm|simulated", "kvm", "Which PSP runs the launch: kvm (/dev/sev, an SEV host) or "
                        + "simulated (a model of the firmware for hosts without SEV; guest memory is not encrypted). "
                        + "Default: ${DEFAULT-VALUE}.", v -> psp = v)
                .text("--host-data", "HEX", null, "SNP: 32 bytes of host data for SNP_LAUNCH_FINISH.", v -> hostData = v)
                .path("--id-block", "FILE", null, "SNP: the signed ID block (96 bytes, from vmm id-block) for "
                        + "SNP_LAUNCH_FINISH; needs --id-auth.", v -> idBlock = v)
                .path("--id-auth", "FILE", null, "SNP: the ID authentication structure (4096 bytes).", v -> idAuth = v)
                .flag("--author-key-enabled", "SNP: the ID auth holds an author key that signed the ID key (AUTH_KEY_EN).",
                        v -> authorKeyEnabled = v);
        spec.addMixin("launch", launch.mixin());
        new OptionTable(spec)
                .path("--config", "FILE", null, "The VM as JSON (the API's schema); options given beside it replace its "
                        + "values, and --disk, --net and --fw-cfg add to its lists.", v -> configFile = v)
                .path("--api-socket", "PATH", null, "Serve the management API on this unix socket (mode 0600); without "
                        + "--config the VM waits for PUT /actions start. The VMM then runs until SIGINT or SIGTERM.",
                        v -> apiSocket = v)
                .standardHelp();
        return spec;
    }

    @Override
    public Integer call() throws Exception {
        VmmCommand.configureLogging(verbose);
        VmConfig cli = VmConfig.builder().firmware(firmware).firmwareVars(firmwareVars)
                .kernel(launch.kernel, launch.initrd, launch.append)
                .memory(Sizes.parseMemory("--memory", memory)).hugepages(hugepages).cpus(cpus)
                .serial(CharDevice.parse("serial", serial)).debugcon(CharDevice.parse("debugcon", debugcon))
                .fwCfg(fwCfg.stream().map(FwCfgEntry::parse).toList()).kvmDevice(kvmDevice)
                .disks(disks.stream().map(DiskConfig::parse).toList()).nets(nets.stream().map(NetConfig::parse).toList()).rng(rng ? new RngConfig(null) : null)
                .vsock(vsock == null ? null : VsockConfig.parse(vsock))
                .console(console.equals("none") ? null : CharDevice.parse("console", console))
                .emulationAssist(!noEmulationAssist).confidential(confidentialConfig()).build();
        var parsed = spec.commandLine().getParseResult();
        VmConfig config = (configFile == null ? cli : ConfigMerge.merge(ConfigMerge.read(configFile), cli,
                parsed::hasMatchedOption)).validate();
        if (apiSocket != null) {
            return ApiMode.serve(apiSocket, config, configFile != null);
        }

        Machine machine = MachineBuilder.build(config, Console.system(), LaunchReport::print);
        GuestMemoryFit.hostWarning(config.memory().size()).ifPresent(w -> System.err.println("vmm: warning: " + w));
        StopReason reason;
        java.util.Optional<Footprint> footprint = java.util.Optional.empty();
        try {
            HostSignals.forwardTo(machine);
            machine.start();
            if (verbose) {
                ProgressLog.start(machine, java.time.Duration.ofSeconds(30));
            }
            reason = machine.awaitStop();
            if (verbose) {
                footprint = Footprint.of(machine.memory());
            }
        } finally {
            machine.close();       // restores the terminal before anything is reported
        }
        report(reason);
        RunStatistics.print(machine, verbose);
        footprint.ifPresent(f -> System.err.printf("vmm: peak RSS %.1f MiB, guest RAM touched %.1f MiB: VMM overhead "
                + "%.1f MiB%n", f.peakRssBytes() / 1048576.0, f.guestResidentBytes() / 1048576.0, f.overheadBytes() / 1048576.0));
        return ExitStatus.of(reason);
    }

    private ConfidentialConfig confidentialConfig() {
        if (confidential == null) {
            if (policy != null || hostData != null || launch.launchLog != null || idBlock != null || idAuth != null
                    || authorKeyEnabled) {
                throw new ConfigException("--policy, --host-data, --id-block, --id-auth, --author-key-enabled and --launch-log "
                        + "need --confidential");
            }
            return null;
        }
        SevMode mode;
        try {
            mode = SevMode.parse(confidential);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--confidential: " + e.getMessage());
        }
        PspKind kind = switch (psp) {
            case "kvm" -> PspKind.KVM;
            case "simulated" -> PspKind.SIMULATED;
            default -> throw new ConfigException("--psp: '" + psp + "' is not kvm or simulated");
        };
        return launch.toConfig(mode, policy == null ? null : Hex.parseLong("--policy", policy), kind, hostData, idBlock,
                idAuth, authorKeyEnabled);
    }

    private void report(StopReason reason) {
        boolean expected = reason instanceof StopReason.GuestExit || reason instanceof StopReason.PowerOff;
        if (!expected || verbose) {
            System.out.flush();
            System.err.println("vmm: " + reason.summary());
            if (!reason.details().isEmpty()) {
                System.err.println(reason.details().indent(2).stripTrailing());
            }
            if (reason instanceof StopReason.VmmFailure(var where, var cause) && verbose) {
                cause.printStackTrace();
            }
        }
    }
}
