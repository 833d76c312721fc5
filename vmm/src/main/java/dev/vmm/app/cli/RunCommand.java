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
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vmm run}: build a VM, run it until it stops, exit with the guest's status. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Boot a VM. Without --firmware it boots the embedded test guest.",
            "Exit status: the guest's (debug-exit device), 0 on power-off or reset, 3 if the guest crashed, 1 on a VMM error, 128 + N after signal N."})
public final class RunCommand implements Callable<Integer> {
    @Option(names = "--firmware", paramLabel = "FILE", description = "Firmware image mapped to end at 4 GiB (OVMF.fd, a BIOS).")
    Path firmware;

    @Option(names = "--firmware-vars", paramLabel = "FILE",
            description = "UEFI variable store as a CFI flash below the firmware (a copy of OVMF_VARS.fd); "
                    + "variables the guest writes are written to the file.")
    Path firmwareVars;

    @Option(names = {"-m", "--memory"}, paramLabel = "SIZE", defaultValue = "128M",
            description = "Guest RAM, e.g. 512M or 2G (default: ${DEFAULT-VALUE}).")
    String memory;

    @Option(names = "--cpus", paramLabel = "N", defaultValue = "1", description = "Number of vCPUs (default: ${DEFAULT-VALUE}).")
    int cpus;

    @Option(names = "--serial", paramLabel = "stdio|file:PATH|none", defaultValue = "stdio",
            description = "Where COM1 goes (default: ${DEFAULT-VALUE}); stdio also feeds stdin to the guest.")
    String serial;

    @Option(names = "--debugcon", paramLabel = "stdio|file:PATH|none", defaultValue = "none",
            description = "Where the debug console on port 0x402 goes (default: ${DEFAULT-VALUE}).")
    String debugcon;

    @Option(names = "--fw-cfg", paramLabel = "name=NAME,string=TEXT|file=PATH",
            description = "Add a fw_cfg file for the guest, as QEMU's -fw_cfg (repeatable).")
    List<String> fwCfg = new ArrayList<>();

    @Option(names = "--disk", paramLabel = "path=FILE[,readonly=on]",
            description = "A virtio-blk disk on a raw image file (repeatable).")
    List<String> disks = new ArrayList<>();

    @Option(names = "--net", paramLabel = "tap=NAME|socket=PATH[,mac=MAC]",
            description = "A virtio-net interface on a host TAP device or a unix datagram socket a peer bound (repeatable).")
    List<String> nets = new ArrayList<>();

    @Option(names = "--rng", description = "A virtio-rng device (bytes from the host's getrandom).")
    boolean rng;

    @Option(names = "--console", paramLabel = "stdio|file:PATH|none", defaultValue = "none",
            description = "A virtio-console (hvc0): its output on stdout or in a file (default: ${DEFAULT-VALUE}); with "
                    + "stdio and --serial other than stdio, stdin goes to it.")
    String console;

    @Option(names = "--vsock", paramLabel = "cid=N,socket=PATH",
            description = "A virtio-vsock device: the guest's CID, and the unix socket host programs connect to "
                    + "(writing CONNECT PORT); guest connections to host port P go to PATH_P.")
    String vsock;

    @Option(names = "--hugepages", description = "Back guest RAM with hugetlbfs 2 MiB pages.")
    boolean hugepages;

    @Option(names = "--kvm-device", paramLabel = "PATH", defaultValue = "/dev/kvm",
            description = "The KVM device (default: ${DEFAULT-VALUE}).")
    Path kvmDevice;

    @Option(names = "--no-emulation-assist",
            description = "Stop the VM on instructions KVM cannot emulate instead of completing them in userspace.")
    boolean noEmulationAssist;

    @Option(names = {"-v", "--verbose"}, description = "Log device and VM events to stderr.")
    boolean verbose;

    @Option(names = "--confidential", paramLabel = "sev|sev-es|sev-snp",
            description = "Launch a confidential guest: SEV, SEV-ES or SEV-SNP through the PSP, then run it.")
    String confidential;

    @Option(names = "--policy", paramLabel = "HEX",
            description = "Guest policy (default: QEMU's, 0x1 for sev, 0x5 for sev-es, 0x30000 for sev-snp).")
    String policy;

    @Option(names = "--psp", paramLabel = "kvm|simulated", defaultValue = "kvm",
            description = "Which PSP runs the launch: kvm (/dev/sev, an SEV host) or simulated (a model of the "
                    + "firmware for hosts without SEV; guest memory is not encrypted). Default: ${DEFAULT-VALUE}.")
    String psp;

    @Option(names = "--host-data", paramLabel = "HEX", description = "SNP: 32 bytes of host data for SNP_LAUNCH_FINISH.")
    String hostData;

    @Option(names = "--id-block", paramLabel = "FILE",
            description = "SNP: the signed ID block (96 bytes, from vmm id-block) for SNP_LAUNCH_FINISH; needs --id-auth.")
    Path idBlock;

    @Option(names = "--id-auth", paramLabel = "FILE", description = "SNP: the ID authentication structure (4096 bytes).")
    Path idAuth;

    @Option(names = "--author-key-enabled",
            description = "SNP: the ID auth holds an author key that signed the ID key (AUTH_KEY_EN).")
    boolean authorKeyEnabled;

    @picocli.CommandLine.Mixin
    LaunchOptions launch = new LaunchOptions();

    @Option(names = "--config", paramLabel = "FILE",
            description = "The VM as JSON (the API's schema); options given beside it replace its values, and --disk, "
                    + "--net and --fw-cfg add to its lists.")
    Path configFile;

    @Option(names = "--api-socket", paramLabel = "PATH",
            description = "Serve the management API on this unix socket (mode 0600); without --config the VM waits "
                    + "for PUT /actions start. The VMM then runs until SIGINT or SIGTERM.")
    Path apiSocket;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

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
