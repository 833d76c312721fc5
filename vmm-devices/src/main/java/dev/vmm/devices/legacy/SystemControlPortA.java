package dev.vmm.devices.legacy;

import dev.vmm.devices.MachineRequest;
import dev.vmm.devices.bus.BusDevice;
import dev.vmm.devices.bus.IoData;
import java.lang.foreign.MemorySegment;

/**
 * System Control Port A (port 0x92, "fast A20 and reset"). Setting bit 0 (it must go from 0 to 1)
 * resets the machine, which stops this VMM's VM with a {@link MachineRequest.Reset}. Bit 1 is the A20 gate:
 * it reads back as written but gates nothing, since KVM has no A20 line; it starts set, which is the
 * truth. OVMF reads this port and writes 0x02.
 */
public final class SystemControlPortA implements BusDevice {
    public static final int PORT = 0x92;

    static final int FAST_RESET = 0x01;
    static final int A20 = 0x02;

    private final MachineRequest.Sink machine;
    private int value = A20;

    public SystemControlPortA(MachineRequest.Sink machine) {
        this.machine = machine;
    }

    @Override
    public synchronized void read(long offset, MemorySegment data) {
        IoData.set(data, value);
    }

    @Override
    public void write(long offset, MemorySegment data) {
        int written = (int) IoData.get(data) & 0xff;
        boolean reset;
        synchronized (this) {
            reset = (written & FAST_RESET) != 0 && (value & FAST_RESET) == 0;
            value = written;
        }
        if (reset) {
            machine.request(new MachineRequest.Reset("port 0x92 fast reset"));
        }
    }
}
