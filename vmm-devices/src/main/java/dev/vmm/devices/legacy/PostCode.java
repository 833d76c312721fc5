package dev.vmm.devices.legacy;

import dev.vmm.devices.bus.BusDevice;
import dev.vmm.devices.bus.IoData;
import java.lang.foreign.MemorySegment;

/**
 * Port 0x80, where firmware writes POST codes (and old code writes for a short delay). Keeps the last
 * code for fault reports; reads return 0xFF like QEMU's ioport80.
 */
public final class PostCode implements BusDevice {
    public static final int PORT = 0x80;

    private volatile int last = -1;

    /** The last code written, or -1 if none. */
    public int lastCode() {
        return last;
    }

    @Override
    public void read(long offset, MemorySegment data) {
        data.fill((byte) 0xff);
    }

    @Override
    public void write(long offset, MemorySegment data) {
        last = (int) (IoData.get(data) & 0xff);
    }
}
