package dev.vmm.devices.legacy;

import dev.vmm.devices.MachineRequest;
import dev.vmm.devices.bus.BusDevice;
import dev.vmm.devices.bus.IoData;
import java.lang.foreign.MemorySegment;

/**
 * The PIIX3 Reset Control Register at port 0xCF9, OVMF's first choice for a cold reset (it writes
 * 0x06). A write with RST_CPU (bit 2) resets the machine, hard if SYS_RST (bit 1) is set and soft
 * (INIT) if not. This VMM does not reboot: the reset stops the VM with a {@link MachineRequest.Reset}.
 * Like QEMU, only SYS_RST is kept and read back.
 */
public final class ResetControl implements BusDevice {
    public static final int PORT = 0xcf9;

    static final int SYS_RST = 0x02;
    static final int RST_CPU = 0x04;

    private final MachineRequest.Sink machine;
    private volatile int register;

    public ResetControl(MachineRequest.Sink machine) {
        this.machine = machine;
    }

    @Override
    public void read(long offset, MemorySegment data) {
        IoData.set(data, register);
    }

    @Override
    public void write(long offset, MemorySegment data) {
        int value = (int) IoData.get(data) & 0xff;
        if ((value & RST_CPU) != 0) {
            String kind = (value & SYS_RST) != 0 ? "hard" : "soft";
            machine.request(new MachineRequest.Reset("PIIX3 reset control 0xCF9, " + kind + " reset"));
            return;
        }
        register = value & SYS_RST;
    }
}
