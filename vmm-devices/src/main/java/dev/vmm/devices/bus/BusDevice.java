package dev.vmm.devices.bus;

import java.lang.foreign.MemorySegment;

/**
 * A device on a {@link Bus}. It sees an offset into the range it was placed at and the access bytes
 * (1, 2, 4 or 8, little-endian); never KVM, never a vCPU. Called from vCPU threads concurrently, so
 * implementations synchronise their own state.
 */
public interface BusDevice {
    /** Fill {@code data} with the value read at {@code offset}. */
    void read(long offset, MemorySegment data);

    /** Take the value written at {@code offset} from {@code data}. */
    void write(long offset, MemorySegment data);
}
