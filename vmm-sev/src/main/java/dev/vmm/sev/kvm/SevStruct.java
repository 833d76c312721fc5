package dev.vmm.sev.kvm;

import dev.vmm.core.abi.CStruct;
import java.lang.foreign.Arena;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SequenceLayout;
import java.lang.foreign.ValueLayout;

/**
 * One of the {@link SevLayouts} structs in native memory, zeroed when allocated, its members read and
 * written by their C names. Integer members are unsigned; a value that does not fit is refused rather
 * than truncated (a 5 GiB length in a {@code __u32} would otherwise pass as 1 GiB).
 */
public final class SevStruct {
    private final GroupLayout layout;
    private final MemorySegment segment;

    private SevStruct(GroupLayout layout, MemorySegment segment) {
        this.layout = layout;
        this.segment = segment;
    }

    /** A zeroed struct that lives as long as {@code arena}. */
    public static SevStruct allocate(Arena arena, GroupLayout layout) {
        return new SevStruct(layout, arena.allocate(layout));
    }

    /**
     * The struct that lies at the start of {@code memory} (a buffer a caller handed over, as the kernel
     * sees a user pointer); fails if {@code memory} is shorter than the struct.
     */
    public static SevStruct at(MemorySegment memory, GroupLayout layout) {
        if (memory.byteSize() < layout.byteSize()) {
            throw new IllegalArgumentException(String.format("%s needs %d bytes, got %d", layout.name().orElse("?"),
                    layout.byteSize(), memory.byteSize()));
        }
        return new SevStruct(layout, memory.asSlice(0, layout.byteSize()));
    }

    public MemorySegment segment() {
        return segment;
    }

    /** The user pointer the kernel gets (in {@code kvm_sev_cmd.data}). */
    public long address() {
        return segment.address();
    }

    public SevStruct put(String member, long value) {
        var bitfield = CStruct.bitfield(layout, member);
        if (bitfield.isPresent()) {
            return putBits(member, bitfield.get(), value);
        }
        ValueLayout m = scalar(member);
        long bits = m.byteSize() * 8;
        if (bits < 64 && value >>> bits != 0 && value >> (bits - 1) != -1) {
            throw new IllegalArgumentException(String.format("%s.%s: 0x%x does not fit in %d bits",
                    name(), member, value, bits));
        }
        long at = CStruct.offset(layout, member);
        switch (m) {
            case ValueLayout.OfByte b -> segment.set(b, at, (byte) value);
            case ValueLayout.OfShort s -> segment.set(s, at, (short) value);
            case ValueLayout.OfInt i -> segment.set(i, at, (int) value);
            case ValueLayout.OfLong l -> segment.set(l, at, value);
            default -> throw new IllegalArgumentException(name() + "." + member + " is not an integer");
        }
        return this;
    }

    /** The member as an unsigned value. */
    public long get(String member) {
        var bitfield = CStruct.bitfield(layout, member);
        if (bitfield.isPresent()) {
            CStruct.Bitfield b = bitfield.get();
            return unit(b) >>> b.shift() & b.mask();
        }
        ValueLayout m = scalar(member);
        long at = CStruct.offset(layout, member);
        return read(m, at);
    }

    /** Reads a copy of byte-array member {@code member}. */
    public byte[] getBytes(String member) {
        MemoryLayout m = CStruct.member(layout, member);
        return segment.asSlice(CStruct.offset(layout, member), m.byteSize()).toArray(ValueLayout.JAVA_BYTE);
    }

    private SevStruct putBits(String member, CStruct.Bitfield b, long value) {
        if ((value & ~b.mask()) != 0) {
            throw new IllegalArgumentException(String.format("%s.%s: 0x%x does not fit in %d bits", name(), member,
                    value, b.width()));
        }
        long unit = unit(b) & ~(b.mask() << b.shift()) | value << b.shift();
        switch (b.unit()) {
            case ValueLayout.OfByte v -> segment.set(v, b.unitOffset(), (byte) unit);
            case ValueLayout.OfShort v -> segment.set(v, b.unitOffset(), (short) unit);
            case ValueLayout.OfInt v -> segment.set(v, b.unitOffset(), (int) unit);
            case ValueLayout.OfLong v -> segment.set(v, b.unitOffset(), unit);
            default -> throw new IllegalArgumentException(name() + "." + member + " is not an integer");
        }
        return this;
    }

    private long unit(CStruct.Bitfield b) {
        return read(b.unit(), b.unitOffset());
    }

    private long read(ValueLayout m, long at) {
        return switch (m) {
            case ValueLayout.OfByte b -> Byte.toUnsignedLong(segment.get(b, at));
            case ValueLayout.OfShort s -> Short.toUnsignedLong(segment.get(s, at));
            case ValueLayout.OfInt i -> Integer.toUnsignedLong(segment.get(i, at));
            case ValueLayout.OfLong l -> segment.get(l, at);
            default -> throw new IllegalArgumentException(name() + " at " + at + " is not an integer");
        };
    }

    /** Copies {@code bytes} to the start of a byte-array member; the rest of it stays as it was (zero). */
    public SevStruct putBytes(String member, byte[] bytes) {
        MemoryLayout m = CStruct.member(layout, member);
        if (!(m instanceof SequenceLayout seq) || seq.elementLayout().byteSize() != 1 || bytes.length > m.byteSize()) {
            throw new IllegalArgumentException(
                    String.format("%s.%s: %d bytes do not fit", name(), member, bytes.length));
        }
        MemorySegment.copy(MemorySegment.ofArray(bytes), 0, segment, CStruct.offset(layout, member), bytes.length);
        return this;
    }

    private ValueLayout scalar(String member) {
        if (CStruct.member(layout, member) instanceof ValueLayout v) {
            return v;
        }
        throw new IllegalArgumentException(name() + "." + member + " is not an integer");
    }

    private String name() {
        return layout.name().orElse("?");
    }
}
