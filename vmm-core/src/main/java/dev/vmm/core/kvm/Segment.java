package dev.vmm.core.kvm;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemorySegment;

/** A segment register as KVM exposes it ({@code struct kvm_segment}): the hidden part unpacked. */
public record Segment(long base, int limit, int selector, int type, boolean present, int dpl, boolean db,
                      boolean s, boolean l, boolean g, boolean avl, boolean unusable) {

    static Segment read(MemorySegment m, long at) {
        return new Segment(m.get(JAVA_LONG, at), m.get(JAVA_INT, at + 8), m.get(JAVA_SHORT, at + 12) & 0xffff,
                m.get(JAVA_BYTE, at + 14) & 0xff, flag(m, at + 15), m.get(JAVA_BYTE, at + 16) & 0xff,
                flag(m, at + 17), flag(m, at + 18), flag(m, at + 19), flag(m, at + 20), flag(m, at + 21),
                flag(m, at + 22));
    }

    void write(MemorySegment m, long at) {
        m.set(JAVA_LONG, at, base);
        m.set(JAVA_INT, at + 8, limit);
        m.set(JAVA_SHORT, at + 12, (short) selector);
        m.set(JAVA_BYTE, at + 14, (byte) type);
        m.set(JAVA_BYTE, at + 15, bit(present));
        m.set(JAVA_BYTE, at + 16, (byte) dpl);
        m.set(JAVA_BYTE, at + 17, bit(db));
        m.set(JAVA_BYTE, at + 18, bit(s));
        m.set(JAVA_BYTE, at + 19, bit(l));
        m.set(JAVA_BYTE, at + 20, bit(g));
        m.set(JAVA_BYTE, at + 21, bit(avl));
        m.set(JAVA_BYTE, at + 22, bit(unusable));
        m.set(JAVA_BYTE, at + 23, (byte) 0);
    }

    /** The descriptor attribute bits as the VMCB/VMSA stores them (type, S, DPL, P, AVL, L, D/B, G). */
    public int vmcbAttributes() {
        return (type & 0xf) | (s ? 1 << 4 : 0) | (dpl & 3) << 5 | (present ? 1 << 7 : 0) | (avl ? 1 << 8 : 0)
                | (l ? 1 << 9 : 0) | (db ? 1 << 10 : 0) | (g ? 1 << 11 : 0);
    }

    private static boolean flag(MemorySegment m, long at) {
        return m.get(JAVA_BYTE, at) != 0;
    }

    private static byte bit(boolean b) {
        return (byte) (b ? 1 : 0);
    }

    @Override
    public String toString() {
        return String.format("%04x %016x %08x type=%x s=%d dpl=%d p=%d db=%d l=%d g=%d", selector, base, limit, type,
                s ? 1 : 0, dpl, present ? 1 : 0, db ? 1 : 0, l ? 1 : 0, g ? 1 : 0);
    }
}
