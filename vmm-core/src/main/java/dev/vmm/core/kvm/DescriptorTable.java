package dev.vmm.core.kvm;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemorySegment;

/** GDTR or IDTR ({@code struct kvm_dtable}). */
public record DescriptorTable(long base, int limit) {
    static DescriptorTable read(MemorySegment m, long at) {
        return new DescriptorTable(m.get(JAVA_LONG, at), m.get(JAVA_SHORT, at + 8) & 0xffff);
    }

    void write(MemorySegment m, long at) {
        m.set(JAVA_LONG, at, base);
        m.set(JAVA_SHORT, at + 8, (short) limit);
        m.asSlice(at + 10, 6).fill((byte) 0);
    }

    @Override
    public String toString() {
        return String.format("%016x %08x", base, limit);
    }
}
