package dev.vmm.tests.boot;

import dev.vmm.app.config.FwCfgEntry;
import dev.vmm.app.config.VmConfig;
import dev.vmm.app.machine.Console;
import dev.vmm.app.machine.Machine;
import dev.vmm.app.machine.MachineBuilder;
import dev.vmm.core.vcpu.StopReason;
import dev.vmm.firmware.TestGuest;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Boots the embedded test guest in this JVM with its serial output captured. */
final class TestVm implements AutoCloseable {
    private final ByteArrayOutputStream serial = new ByteArrayOutputStream();
    final Machine machine;
    private CompletableFuture<StopReason> stop;

    TestVm(VmConfig config) {
        machine = MachineBuilder.build(config, new Console(null, serial));
    }

    TestVm(int cpus, String scenario) {
        this(scenario(cpus, scenario));
    }

    /** 16 MiB, {@code cpus} vCPUs, serial captured, the guest told to run {@code scenario}. */
    static VmConfig scenario(int cpus, String scenario) {
        return VmConfig.builder().cpus(cpus).memory(16L << 20).addFwCfg(FwCfgEntry.ofString(TestGuest.SCENARIO_FILE, scenario))
                .build();
    }

    TestVm start() {
        machine.start();
        stop = CompletableFuture.supplyAsync(() -> {
            try {
                return machine.awaitStop();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        return this;
    }

    StopReason awaitStop() throws Exception {
        return stop.get(60, TimeUnit.SECONDS);
    }

    String output() {
        synchronized (serial) {
            return serial.toString(StandardCharsets.UTF_8);
        }
    }

    /** Waits until the guest printed {@code text}. */
    void awaitOutput(String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!output().contains(text)) {
            if (System.nanoTime() > deadline || stop.isDone()) {
                throw new AssertionError("guest did not print '" + text + "'; output so far:\n" + output());
            }
            Thread.sleep(2);
        }
    }

    /** Boots, waits for the stop, closes; the guest's output is appended to {@code out}. */
    static StopReason run(int cpus, String scenario, StringBuilder out) throws Exception {
        try (TestVm vm = new TestVm(cpus, scenario)) {
            StopReason reason = vm.start().awaitStop();
            out.append(vm.output());
            return reason;
        }
    }

    @Override
    public void close() {
        machine.close();
    }
}
