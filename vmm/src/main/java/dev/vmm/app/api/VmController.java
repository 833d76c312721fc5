package dev.vmm.app.api;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.vmm.app.confidential.LaunchLogFile;
import dev.vmm.app.config.ConfigException;
import dev.vmm.app.config.DiskConfig;
import dev.vmm.app.config.NetConfig;
import dev.vmm.app.config.VmConfig;
import dev.vmm.app.machine.Console;
import dev.vmm.app.machine.ExitStatus;
import dev.vmm.app.machine.Machine;
import dev.vmm.app.machine.MachineBuilder;
import dev.vmm.core.VmmException;
import dev.vmm.core.kvm.ExitReason;
import dev.vmm.core.vcpu.StopReason;
import dev.vmm.core.vcpu.VcpuRunner;
import dev.vmm.devices.virtio.pci.VirtioPciFunction;
import dev.vmm.sev.launch.ConfidentialBoot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One VM's lifecycle as the API drives it: configured (a config, drives and network interfaces may be
 * put), running, paused, stopped; a stopped VM may be configured and started again. Every method is a
 * state transition or a read, synchronized; the guest runs on its vCPU threads, and the thread that
 * waits for it to stop closes the machine, so no request ever waits for the guest.
 */
public final class VmController {
    public enum State {
        NOT_STARTED, RUNNING, PAUSED, STOPPED;

        public String json() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** GET /vm. */
    public record Info(String state, VmConfig config, @JsonProperty("launch_digest") String launchDigest,
                       @JsonProperty("stop_reason") String stopReason, @JsonProperty("exit_status") Integer exitStatus) {}

    /** GET /metrics: exits by reason per vCPU, each virtio device's counters, what the assist completed. */
    public record Metrics(String state, @JsonProperty("vcpu_exits") List<Map<String, Long>> vcpuExits, List<Device> devices,
                          Map<String, Long> assist) {}

    public record Device(String name, int status, long interrupts,
                         @JsonProperty("mmio_notifications") long mmioNotifications, long violations) {}

    private final Console console;
    private final Consumer<ConfidentialBoot.Launched> launchReport;
    private final Consumer<StopReason> onStop;
    private VmConfig config;
    private final Map<String, DiskConfig> drives = new LinkedHashMap<>();
    private final Map<String, NetConfig> nets = new LinkedHashMap<>();
    private State state = State.NOT_STARTED;
    private Machine machine;
    private ConfidentialBoot.Launched launched;
    private StopReason stopReason;
    private Thread waiter;

    /**
     * @param config the VM to boot (from --config), or null until {@code PUT /vm/config}
     * @param onStop told, on the waiting thread, why each VM stopped
     */
    public VmController(VmConfig config, Console console, Consumer<ConfidentialBoot.Launched> launchReport,
                        Consumer<StopReason> onStop) {
        this.console = console;
        this.launchReport = launchReport;
        this.onStop = onStop;
        if (config != null) {
            setConfig(config);
        }
    }

    public synchronized State state() {
        return state;
    }

    public synchronized Info info() {
        return new Info(state.json(), effectiveConfig(), launched == null ? null : launched.result().digestHex(),
                stopReason == null ? null : stopReason.summary(), stopReason == null ? null : ExitStatus.of(stopReason));
    }

    /** The config with the drives and interfaces put since; null if none was given. */
    public synchronized VmConfig effectiveConfig() {
        return config == null ? null : config.toBuilder().disks(new ArrayList<>(drives.values()))
                .nets(new ArrayList<>(nets.values())).build();
    }

    public synchronized void putConfig(VmConfig c) {
        requireConfigurable("PUT /vm/config");
        setConfig(c.validate());
    }

    private void setConfig(VmConfig c) {
        config = c;
        drives.clear();
        nets.clear();
        for (int i = 0; i < c.disks().size(); i++) {
            drives.put("disk" + i, c.disks().get(i));
        }
        for (int i = 0; i < c.nets().size(); i++) {
            nets.put("net" + i, c.nets().get(i));
        }
        if (state == State.STOPPED) {
            state = State.NOT_STARTED;     // a new VM
            stopReason = null;
            launched = null;
        }
    }

    public synchronized void putDrive(String id, DiskConfig d) {
        requireConfigurable("PUT /drives/" + id);
        requireConfig();
        withValidated(() -> drives.put(id, d));
    }

    public synchronized void putNetworkInterface(String id, NetConfig n) {
        requireConfigurable("PUT /network-interfaces/" + id);
        requireConfig();
        withValidated(() -> nets.put(id, n));
    }

    /** Applies a change, and takes it back if the config it makes does not validate. */
    private void withValidated(Runnable change) {
        var savedDrives = new LinkedHashMap<>(drives);
        var savedNets = new LinkedHashMap<>(nets);
        change.run();
        try {
            effectiveConfig().validate();
        } catch (ConfigException e) {
            drives.clear();
            drives.putAll(savedDrives);
            nets.clear();
            nets.putAll(savedNets);
            throw e;
        }
    }

    public synchronized void start() {
        if (state != State.NOT_STARTED) {
            throw new ApiException(409, "start: the VM is " + state.json() + (state == State.STOPPED
                    ? " (PUT /vm/config to configure a new one)" : ""));
        }
        requireConfig();
        Machine m;
        try {
            m = MachineBuilder.build(effectiveConfig(), console, l -> {
                synchronized (this) {
                    launched = l;
                }
                launchReport.accept(l);
            });
        } catch (VmmException e) {        // a config the host cannot run, KVM refusing: the VM stays configurable
            throw new ApiException(400, "start: " + e.getMessage());
        }
        m.start();
        machine = m;
        state = State.RUNNING;
        waiter = Thread.ofPlatform().name("vmm-vm-waiter").daemon().start(() -> awaitStop(m));
    }

    private void awaitStop(Machine m) {
        StopReason reason;
        try {
            reason = m.awaitStop();
        } catch (InterruptedException e) {
            reason = new StopReason.HostRequest("interrupted");
        }
        m.close();
        synchronized (this) {
            stopReason = reason;
            state = State.STOPPED;
            machine = null;
            notifyAll();
        }
        onStop.accept(reason);
    }

    public synchronized void pause() {
        require(State.RUNNING, "pause");
        machine.pause();
        state = State.PAUSED;
    }

    public synchronized void resume() {
        require(State.PAUSED, "resume");
        machine.resume();
        state = State.RUNNING;
    }

    /** Presses the power button; true if the guest has its ACPI event enabled (it will power off). */
    public synchronized boolean shutdown() {
        require(State.RUNNING, "shutdown");
        return machine.pressPowerButton();
    }

    /** Ends the VM (as SIGTERM would); returns once it has stopped. */
    public synchronized void stop() throws InterruptedException {
        if (state != State.RUNNING && state != State.PAUSED) {
            throw new ApiException(409, "stop: the VM is " + state.json());
        }
        machine.requestStop(new StopReason.HostRequest("stop action through the API"));
        while (state != State.STOPPED) {
            wait();
        }
    }

    /** Waits for the current VM, if any runs, to stop. */
    public synchronized void awaitStopped() throws InterruptedException {
        while (state == State.RUNNING || state == State.PAUSED) {
            wait();
        }
    }

    public synchronized LaunchLogFile.Document measurement() {
        if (launched == null) {
            throw new ApiException(404, "no confidential launch: the VM " + (config != null && config.confidential() != null
                    ? "has not been launched yet" : "is not confidential"));
        }
        return LaunchLogFile.document(launched);
    }

    public synchronized Metrics metrics() {
        List<Map<String, Long>> exits = new ArrayList<>();
        List<Device> devices = new ArrayList<>();
        Map<String, Long> assist = new LinkedHashMap<>();
        if (machine != null) {
            for (VcpuRunner r : machine.vcpus().runners()) {
                Map<String, Long> byReason = new LinkedHashMap<>();
                long[] counts = r.exitCounts();
                for (int i = 0; i < counts.length; i++) {
                    if (counts[i] > 0) {
                        ExitReason reason = ExitReason.of(i);
                        byReason.put(reason == null ? "reason_" + i : reason.name().toLowerCase(Locale.ROOT), counts[i]);
                    }
                }
                exits.add(byReason);
            }
            for (VirtioPciFunction f : machine.virtio()) {
                devices.add(new Device(f.name(), f.status(), f.interruptsDelivered(), f.doorbellExits(), f.violations()));
            }
            machine.assist().ifPresent(a -> assist.putAll(a.counts()));
        }
        return new Metrics(state.json(), exits, devices, assist);
    }

    private void require(State wanted, String action) {
        if (state != wanted) {
            throw new ApiException(409, action + ": the VM is " + state.json() + ", not " + wanted.json());
        }
    }

    private void requireConfigurable(String what) {
        if (state == State.RUNNING || state == State.PAUSED) {
            throw new ApiException(409, what + ": the VM is " + state.json() + "; only a VM not started can be configured");
        }
    }

    private void requireConfig() {
        if (config == null) {
            throw new ApiException(409, "no config yet: PUT /vm/config first");
        }
    }
}
