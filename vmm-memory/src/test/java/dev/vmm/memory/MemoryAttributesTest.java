package dev.vmm.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class MemoryAttributesTest {
    @Test
    void changesReachTheSinkAndAreRecorded() {
        List<String> kvm = new ArrayList<>();
        MemoryAttributes a = new MemoryAttributes((gpa, size, p) -> kvm.add(gpa + "+" + size + (p ? " private" : " shared")));
        a.setPrivate(0x1000, 0x3000, true);
        a.setPrivate(0x2000, 0x1000, false);
        assertThat(kvm).containsExactly("4096+12288 private", "8192+4096 shared");
        assertThat(a.isPrivate(0x1000)).isTrue();
        assertThat(a.isPrivate(0x2fff)).isFalse();
        assertThat(a.isPrivate(0x3000)).isTrue();
        assertThat(a.isPrivate(0x4000)).isFalse();
        assertThat(a.privateBytes()).isEqualTo(0x2000);
        assertThatThrownBy(() -> a.setPrivate(0x1001, 0x1000, true)).isInstanceOf(GuestMemoryException.class);
    }

    @Test
    void aRefusedChangeIsNotRecorded() {
        MemoryAttributes a = new MemoryAttributes((gpa, size, p) -> {
            throw new IllegalStateException("KVM_SET_MEMORY_ATTRIBUTES: EINVAL");
        });
        assertThatThrownBy(() -> a.setPrivate(0, 0x1000, true)).hasMessageContaining("EINVAL");
        assertThat(a.isPrivate(0)).isFalse();
    }

    /** Against a page bitmap, any sequence of changes leaves the same private pages. */
    @Property(tries = 300)
    void agreesWithAPageBitmap(@ForAll @Size(max = 40) List<@IntRange(min = 0, max = 63) Integer> starts,
                               @ForAll @Size(max = 40) List<@IntRange(min = 1, max = 16) Integer> lengths) {
        MemoryAttributes a = new MemoryAttributes((gpa, size, p) -> { });
        BitSet model = new BitSet();
        for (int i = 0; i < Math.min(starts.size(), lengths.size()); i++) {
            boolean priv = (starts.get(i) + lengths.get(i)) % 3 != 0;
            a.setPrivate(starts.get(i) * 4096L, lengths.get(i) * 4096L, priv);
            model.set(starts.get(i), starts.get(i) + lengths.get(i), priv);
        }
        for (int page = 0; page < 90; page++) {
            assertThat(a.isPrivate(page * 4096L)).as("page " + page).isEqualTo(model.get(page));
        }
        assertThat(a.privateBytes()).isEqualTo(model.cardinality() * 4096L);
    }
}
