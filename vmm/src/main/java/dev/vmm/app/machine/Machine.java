package dev.vmm.app.machine;

import dev.vmm.devices.virtio.pci.VirtioPciFunction;
import java.util.List;
import dev.vmm.core.assist.EmulationAssist;
import dev.vmm.core.vcpu.StopReason;
import java.util.Optional;
import dev.vmm.core.vcpu.StopRequester;
import dev.vmm.core.vcpu.VcpuRunner;
import dev.vmm.core.vcpu.VcpuSet;
import dev.vmm.devices.legacy.AcpiPmIo;
import dev.vmm.devices.bus.Bus;
import dev.vmm.memory.GuestMemory;

/**
 * A built VM: its vCPUs, memory and buses, and every host resource behind them, which
 * {@link #close()} releases in reverse order of creation.
 */
public final class Machine implements StopRequester, AutoCloseable {
    private final VcpuSet vcpus;
    private final GuestMemory memory;
    private final Bus pio;
    private final Bus mmio;
    private final EmulationAssist assist;
    private final Closer resources;
    private final List<VirtioPciFunction> virtio;
    private final AcpiPmIo pm;

    Machine(VcpuSet vcpus, GuestMemory memory, Bus pio, Bus mmio, EmulationAssist assist, Closer resources,
            List<VirtioPciFunction> virtio, AcpiPmIo pm) {
        this.pm = pm;
        this.virtio = List.copyOf(virtio);
        this.vcpus = vcpus;
        this.memory = memory;
        this.pio = pio;
        this.mmio = mmio;
        this.assist = assist;
        this.resources = resources;
    }

    /** The emulation assist, or empty when it is off. */
    public Optional<EmulationAssist> assist() {
        return Optional.ofNullable(assist);
    }

    public void start() {
        vcpus.start();
    }

    /** Runs until the guest or the host stops the VM; returns why. */
    public StopReason awaitStop() throws InterruptedException {
        return vcpus.awaitStop();
    }

    @Override
    public void requestStop(StopReason reason) {
        vcpus.requestStop(reason);
    }

    public GuestMemory memory() {
        return memory;
    }

    public Bus pioBus() {
        return pio;
    }

    public Bus mmioBus() {
        return mmio;
    }

    /**
     * Presses the ACPI power button the DSDT declares (PWRBTN_STS, then SCI): a guest with ACPI shuts
     * down and powers off. False if the guest has not enabled the button's event (no ACPI driver yet).
     */
    public boolean pressPowerButton() {
        return pm.pressPowerButton();
    }

    /** Stops every vCPU where it is, until {@link #resume}. */
    public void pause() {
        vcpus.runners().forEach(VcpuRunner::pause);
    }

    public void resume() {
        vcpus.runners().forEach(VcpuRunner::resume);
    }

    /** The virtio functions on the PCI bus, for their counters. */
    public List<VirtioPciFunction> virtio() {
        return virtio;
    }

    public VcpuSet vcpus() {
        return vcpus;
    }

    @Override
    public void close() {
        resources.close();
    }
}
