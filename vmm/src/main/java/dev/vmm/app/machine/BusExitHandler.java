package dev.vmm.app.machine;

import dev.vmm.core.vcpu.ExitHandler;
import dev.vmm.devices.bus.Bus;
import java.lang.foreign.MemorySegment;

/** Serves port I/O and MMIO exits from the two buses: where vCPUs meet devices, which never see a vCPU. */
public final class BusExitHandler implements ExitHandler {
    private final Bus pio;
    private final Bus mmio;

    public BusExitHandler(Bus pio, Bus mmio) {
        this.pio = pio;
        this.mmio = mmio;
    }

    @Override
    public void pioRead(int port, MemorySegment data) {
        pio.read(port, data);
    }

    @Override
    public void pioWrite(int port, MemorySegment data) {
        pio.write(port, data);
    }

    @Override
    public void mmioRead(long address, MemorySegment data) {
        mmio.read(address, data);
    }

    @Override
    public void mmioWrite(long address, MemorySegment data) {
        mmio.write(address, data);
    }
}
