package dev.vmm.devices.legacy;

import dev.vmm.devices.MachineRequest;
import dev.vmm.devices.bus.BusDevice;
import dev.vmm.devices.bus.IoData;
import java.lang.foreign.MemorySegment;

/**
 * Like QEMU's isa-debug-exit: a guest write stops the VM and the process exits with the value
 * written (its low 8 bits). Unlike QEMU, the status is not encoded as {@code (value << 1) | 1}, so a
 * guest reports 0 as success.
 */
public final class DebugExit implements BusDevice {
    /** QEMU's default iobase for isa-debug-exit. */
    public static final int DEFAULT_PORT = 0x501;
    public static final int SIZE = 2;

    private final MachineRequest.Sink machine;

    public DebugExit(MachineRequest.Sink machine) {
        this.machine = machine;
    }

    @Override
    public void read(long offset, MemorySegment data) {
        data.fill((byte) 0xff);
    }

    @Override
    public void write(long offset, MemorySegment data) {
        machine.request(new MachineRequest.GuestExit((int) (IoData.get(data) & 0xff)));
    }
}
