package dev.vmm.devices.legacy;

import dev.vmm.devices.bus.BusDevice;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Bochs/QEMU debug console on port 0x402: bytes written go to the output. Reads return 0xE9, the value
 * firmware (OVMF's PlatformDebugLibIoPort) checks to decide the console is there.
 */
public final class DebugCon implements BusDevice {
    public static final int DEFAULT_PORT = 0x402;
    public static final int PRESENCE_VALUE = 0xe9;

    private final OutputStream out;

    /** @param out destination; {@code null} discards (the device still answers the presence probe) */
    public DebugCon(OutputStream out) {
        this.out = out;
    }

    @Override
    public void read(long offset, MemorySegment data) {
        data.fill((byte) 0);
        data.set(ValueLayout.JAVA_BYTE, 0, (byte) PRESENCE_VALUE);
    }

    @Override
    public synchronized void write(long offset, MemorySegment data) {
        if (out == null) {
            return;
        }
        try {
            for (int i = 0; i < data.byteSize(); i++) {
                out.write(data.get(ValueLayout.JAVA_BYTE, i));
            }
            out.flush();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("debugcon output", e);
        }
    }
}
