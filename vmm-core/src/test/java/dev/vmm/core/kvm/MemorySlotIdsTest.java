package dev.vmm.core.kvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MemorySlotIdsTest {
    @Test
    void handsOutTheLowestFreeNumberAndAsksTheLimitOnce() {
        AtomicInteger queries = new AtomicInteger();
        MemorySlotIds ids = new MemorySlotIds(() -> {
            queries.incrementAndGet();
            return 3;
        });
        assertThat(ids.allocate()).isZero();
        assertThat(ids.allocate()).isEqualTo(1);
        assertThat(ids.allocate()).isEqualTo(2);
        assertThatThrownBy(ids::allocate).isInstanceOf(IllegalStateException.class)
                .hasMessage("KVM_SET_USER_MEMORY_REGION: all 3 memory slots of this VM are in use (KVM_CAP_NR_MEMSLOTS)");
        ids.release(1);
        assertThat(ids.allocate()).as("a released number is used again").isEqualTo(1);
        assertThat(ids.inUse()).isEqualTo(3);
        assertThat(queries).hasValue(1);
    }

    @Test
    void releasingANumberNotHandedOutIsAnError() {
        MemorySlotIds ids = new MemorySlotIds(() -> 8);
        assertThatThrownBy(() -> ids.release(0)).hasMessage("memory slot 0 was not allocated");
        int slot = ids.allocate();
        ids.release(slot);
        assertThatThrownBy(() -> ids.release(slot)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ids.release(-1)).isInstanceOf(IllegalArgumentException.class);
    }
}
