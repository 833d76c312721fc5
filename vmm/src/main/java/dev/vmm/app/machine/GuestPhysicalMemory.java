package dev.vmm.app.machine;

import dev.vmm.core.assist.PhysicalMemory;
import dev.vmm.memory.GuestAddress;
import dev.vmm.memory.GuestMemory;
import java.lang.foreign.MemorySegment;

/** Guest RAM as the emulation assist reads and writes it: bounds-checked by {@link GuestMemory}. */
final class GuestPhysicalMemory implements PhysicalMemory {
    private final GuestMemory memory;

    GuestPhysicalMemory(GuestMemory memory) {
        this.memory = memory;
    }

    @Override
    public void read(long gpa, byte[] dst, int offset, int length) {
        MemorySegment.copy(memory.slice(GuestAddress.of(gpa), length), java.lang.foreign.ValueLayout.JAVA_BYTE, 0, dst, offset, length);
    }

    @Override
    public void write(long gpa, byte[] src, int offset, int length) {
        MemorySegment.copy(src, offset, memory.writableSlice(GuestAddress.of(gpa), length), java.lang.foreign.ValueLayout.JAVA_BYTE, 0,
                length);
    }
}
