package dev.vmm.core.abi;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.PaddingLayout;
import java.lang.foreign.SequenceLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.UnionLayout;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Builds layouts of C structs. {@link #struct} places members as the C compiler does (natural
 * alignment, trailing padding); {@link #packed} as {@code __attribute__((packed))} does.
 *
 * <p>Naming convention, relied on by the ABI check: a struct or union layout is named after its C
 * tag ({@code kvm_regs}); members carry their C field names; an unnamed struct or union member is a C
 * anonymous one, so its fields are reached directly ({@code kvm_run.io.port}). A run of C bitfields
 * sharing one storage unit is one integer member named {@code "a:1|b:7"} ({@link #bits}): C cannot take
 * {@code offsetof} of a bitfield, so the ABI check sets each one and looks for its bits instead.
 */
public final class CStruct {
    private CStruct() {}

    public static ValueLayout.OfByte u8(String name) {
        return ValueLayout.JAVA_BYTE.withName(name);
    }

    public static ValueLayout.OfShort u16(String name) {
        return ValueLayout.JAVA_SHORT.withName(name);
    }

    public static ValueLayout.OfInt u32(String name) {
        return ValueLayout.JAVA_INT.withName(name);
    }

    public static ValueLayout.OfLong u64(String name) {
        return ValueLayout.JAVA_LONG.withName(name);
    }

    public static SequenceLayout bytes(String name, long count) {
        return MemoryLayout.sequenceLayout(count, ValueLayout.JAVA_BYTE).withName(name);
    }

    public static SequenceLayout array(String name, long count, MemoryLayout element) {
        return MemoryLayout.sequenceLayout(count, element).withName(name);
    }

    /**
     * The storage unit of consecutive C bitfields, {@code unit} bytes wide, holding {@code fields} given
     * as {@code "name:width"} from the least significant bit up (GCC's order on x86-64).
     */
    public static ValueLayout bits(int unit, String... fields) {
        int total = 0;
        for (String f : fields) {
            total += width(f);
        }
        if (total != unit * 8) {
            throw new IllegalArgumentException(String.join("|", fields) + ": " + total + " bits in a " + unit + "-byte unit");
        }
        ValueLayout layout = switch (unit) {
            case 1 -> ValueLayout.JAVA_BYTE;
            case 2 -> ValueLayout.JAVA_SHORT;
            case 4 -> ValueLayout.JAVA_INT;
            case 8 -> ValueLayout.JAVA_LONG;
            default -> throw new IllegalArgumentException("bitfield unit of " + unit + " bytes");
        };
        return layout.withName(String.join("|", fields));
    }

    /** One bitfield: where its storage unit lies and which bits of the unit it holds. */
    public record Bitfield(long unitOffset, ValueLayout unit, int shift, int width) {
        public long mask() {
            return width == 64 ? -1L : (1L << width) - 1;
        }
    }

    /** Whether a member name is a bitfield unit ({@link #bits}) rather than a plain member. */
    public static boolean isBitfieldUnit(MemoryLayout m) {
        return m instanceof ValueLayout && m.name().map(n -> n.contains(":")).orElse(false);
    }

    /** The bitfield called {@code name} among the top-level members of {@code layout}, if there is one. */
    public static Optional<Bitfield> bitfield(GroupLayout layout, String name) {
        long offset = 0;
        for (MemoryLayout m : layout.memberLayouts()) {
            if (isBitfieldUnit(m)) {
                int shift = 0;
                for (String f : m.name().orElseThrow().split("\\|")) {
                    int w = width(f);
                    if (f.substring(0, f.indexOf(':')).equals(name)) {
                        return Optional.of(new Bitfield(offset, (ValueLayout) m, shift, w));
                    }
                    shift += w;
                }
            }
            offset += layout instanceof UnionLayout ? 0 : m.byteSize();
        }
        return Optional.empty();
    }

    private static int width(String field) {
        int colon = field.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("bitfield '" + field + "' is not name:width");
        }
        return Integer.parseInt(field.substring(colon + 1));
    }

    /** A struct with the C compiler's natural alignment; pass {@code null} name for an anonymous one. */
    public static StructLayout struct(String name, MemoryLayout... members) {
        List<MemoryLayout> placed = new ArrayList<>();
        long offset = 0;
        long maxAlign = 1;
        for (MemoryLayout m : members) {
            long align = m.byteAlignment();
            maxAlign = Math.max(maxAlign, align);
            long aligned = (offset + align - 1) / align * align;
            if (aligned > offset) {
                placed.add(MemoryLayout.paddingLayout(aligned - offset));
            }
            placed.add(m);
            offset = aligned + m.byteSize();
        }
        long size = (offset + maxAlign - 1) / maxAlign * maxAlign;
        if (size > offset) {
            placed.add(MemoryLayout.paddingLayout(size - offset));
        }
        StructLayout s = MemoryLayout.structLayout(placed.toArray(MemoryLayout[]::new));
        return name == null ? s : s.withName(name);
    }

    /** A union; pass {@code null} name for an anonymous one. */
    public static UnionLayout union(String name, MemoryLayout... members) {
        UnionLayout u = MemoryLayout.unionLayout(members);
        return name == null ? u : u.withName(name);
    }

    /** A {@code __attribute__((packed))} struct: no padding, every member byte-aligned. */
    public static StructLayout packed(String name, MemoryLayout... members) {
        MemoryLayout[] unaligned = new MemoryLayout[members.length];
        for (int i = 0; i < members.length; i++) {
            unaligned[i] = byteAligned(members[i]);
        }
        return MemoryLayout.structLayout(unaligned).withName(name);
    }

    private static MemoryLayout byteAligned(MemoryLayout m) {
        MemoryLayout r = switch (m) {
            case SequenceLayout s -> MemoryLayout.sequenceLayout(s.elementCount(), byteAligned(s.elementLayout()));
            case StructLayout s -> MemoryLayout.structLayout(s.memberLayouts().stream()
                    .map(CStruct::byteAligned).toArray(MemoryLayout[]::new));
            case UnionLayout u -> MemoryLayout.unionLayout(u.memberLayouts().stream()
                    .map(CStruct::byteAligned).toArray(MemoryLayout[]::new));
            default -> m.withByteAlignment(1);
        };
        return m.name().map(r::withName).orElse(r);
    }

    /**
     * Byte offset of a dotted C member path such as {@code "io.port"} or {@code "xcrs"}, looking
     * through anonymous members.
     */
    public static long offset(GroupLayout layout, String path) {
        long offset = 0;
        MemoryLayout current = layout;
        for (String part : path.split("\\.")) {
            if (!(current instanceof GroupLayout g)) {
                throw new IllegalArgumentException(path + ": " + part + " is not inside a struct");
            }
            long[] found = find(g, part);
            if (found == null) {
                throw new IllegalArgumentException(layout.name().orElse("?") + " has no member " + path);
            }
            offset += found[0];
            current = memberAt(g, part);
        }
        return offset;
    }

    /** The layout of a dotted member path, as for {@link #offset}. */
    public static MemoryLayout member(GroupLayout layout, String path) {
        MemoryLayout current = layout;
        for (String part : path.split("\\.")) {
            current = memberAt((GroupLayout) current, part);
            if (current == null) {
                throw new IllegalArgumentException(layout.name().orElse("?") + " has no member " + path);
            }
        }
        return current;
    }

    private static long[] find(GroupLayout g, String name) {
        long offset = 0;
        for (MemoryLayout m : g.memberLayouts()) {
            long here = g instanceof UnionLayout ? 0 : offset;
            if (name.equals(m.name().orElse(null))) {
                return new long[] {here};
            }
            if (m.name().isEmpty() && m instanceof GroupLayout anon && !(m instanceof PaddingLayout)) {
                long[] inner = find(anon, name);
                if (inner != null) {
                    return new long[] {here + inner[0]};
                }
            }
            offset += m.byteSize();
        }
        return null;
    }

    private static MemoryLayout memberAt(GroupLayout g, String name) {
        for (MemoryLayout m : g.memberLayouts()) {
            if (name.equals(m.name().orElse(null))) {
                return m;
            }
            if (m.name().isEmpty() && m instanceof GroupLayout anon) {
                MemoryLayout inner = memberAt(anon, name);
                if (inner != null) {
                    return inner;
                }
            }
        }
        return null;
    }
}
