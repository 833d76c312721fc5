package dev.vmm.devices.virtio.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmm.devices.virtio.RingWriter;
import dev.vmm.memory.GuestAddress;
import dev.vmm.memory.GuestMemory;
import dev.vmm.memory.GuestMemoryBuilder;
import dev.vmm.memory.RegionKind;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The split queue against a driver that follows the rules and one that breaks each of them. */
class SplitQueueTest {
    static final long RAM = 0x10_0000;
    static final long ROM = 0x20_0000;
    static final long RING = 0x1000;
    static final long DATA = 0x8000;
    static final long INDIRECT = 0x6000;
    static final int SIZE = 16;

    private final GuestMemory memory = new GuestMemoryBuilder().add("ram", 0, RAM, RegionKind.RAM)
            .add("rom", ROM, 0x1000, RegionKind.ROM).build();
    private final RingWriter ring = new RingWriter(memory, SIZE, RING);

    @AfterEach
    void close() {
        memory.close();
    }

    private SplitQueue queue(boolean indirect, boolean eventIdx) {
        return new SplitQueue("q", memory, SIZE, GuestAddress.of(ring.desc), GuestAddress.of(ring.avail),
                GuestAddress.of(ring.used), indirect, eventIdx);
    }

    @Test
    void aChainOfReadableThenWritableBuffersIsPoppedAndReturned() {
        ring.descriptor(3, DATA, 16, Vring.DESC_F_NEXT, 7).descriptor(7, DATA + 0x100, 512, Vring.DESC_F_NEXT | Vring.DESC_F_WRITE, 1)
                .descriptor(1, DATA + 0x400, 1, Vring.DESC_F_WRITE, 0).offer(3);
        SplitQueue q = queue(false, false);
        DescriptorChain c = q.pop();
        assertThat(c.head()).isEqualTo(3);
        assertThat(c.readable()).extracting(DescriptorChain.Buffer::length).containsExactly(16);
        assertThat(c.writable()).extracting(DescriptorChain.Buffer::length).containsExactly(512, 1);
        assertThat(q.pop()).isNull();
        q.pushUsed(c, 513);
        assertThat(ring.usedIdx()).isEqualTo(1);
        assertThat(ring.usedElem(0)).containsExactly(3, 513);
    }

    @Test
    void anIndirectTableIsWalkedInPlaceOfTheDescriptor() {
        ring.descriptorAt(INDIRECT, 0, DATA, 16, Vring.DESC_F_NEXT, 2).descriptorAt(INDIRECT, 2, DATA + 0x200, 8, Vring.DESC_F_WRITE, 0)
                .descriptor(0, INDIRECT, 3 * 16, Vring.DESC_F_INDIRECT, 0).offer(0);
        DescriptorChain c = queue(true, false).pop();
        assertThat(c.readable()).extracting(b -> b.address().value()).containsExactly(DATA);
        assertThat(c.writable()).extracting(b -> b.address().value()).containsExactly(DATA + 0x200);
    }

    @Test
    void readsAndWritesSpanTheChainsBuffers() {
        ring.descriptor(0, DATA, 3, Vring.DESC_F_NEXT, 1).descriptor(1, DATA + 0x10, 5, Vring.DESC_F_NEXT, 2)
                .descriptor(2, DATA + 0x20, 4, Vring.DESC_F_WRITE | Vring.DESC_F_NEXT, 3).descriptor(3, DATA + 0x30, 4, Vring.DESC_F_WRITE, 0)
                .offer(0);
        memory.write(GuestAddress.of(DATA), new byte[] {1, 2, 3});
        memory.write(GuestAddress.of(DATA + 0x10), new byte[] {4, 5, 6, 7, 8});
        DescriptorChain c = queue(false, false).pop();
        byte[] got = new byte[6];
        assertThat(c.read(memory, 2, got)).isEqualTo(6);
        assertThat(got).containsExactly(3, 4, 5, 6, 7, 8);
        assertThat(c.write(memory, 2, new byte[] {9, 9, 9, 9, 9, 9, 9})).isEqualTo(6);
        assertThat(memory.read(GuestAddress.of(DATA + 0x20), 4)).containsExactly(0, 0, 9, 9);
        assertThat(memory.read(GuestAddress.of(DATA + 0x30), 4)).containsExactly(9, 9, 9, 9);
    }

    @Test
    void eventIdxInterruptsOnlyWhenTheUsedIndexPassesUsedEvent() {
        for (int i = 0; i < 4; i++) {
            ring.descriptor(i, DATA, 1, Vring.DESC_F_WRITE, 0).offer(i);
        }
        SplitQueue q = queue(false, true);
        q.pushUsed(q.pop(), 1);
        assertThat(q.needsInterrupt()).as("the first is always signalled").isTrue();
        assertThat(ring.availEvent()).isEqualTo(1);
        ring.usedEvent(2);              // wake me once used.idx passes 2
        q.pushUsed(q.pop(), 1);
        assertThat(q.needsInterrupt()).isFalse();
        q.pushUsed(q.pop(), 1);
        assertThat(q.needsInterrupt()).isTrue();
    }

    @Test
    void noInterruptFlagSuppressesWithoutEventIdx() {
        ring.descriptor(0, DATA, 1, Vring.DESC_F_WRITE, 0).offer(0).availFlags(Vring.AVAIL_F_NO_INTERRUPT);
        SplitQueue q = queue(false, false);
        q.pushUsed(q.pop(), 1);
        assertThat(q.needsInterrupt()).isFalse();
    }

    @Test
    void theUsedRingWrapsInsideItself() {
        SplitQueue q = queue(false, false);
        for (int i = 0; i < 3 * SIZE + 5; i++) {
            ring.descriptor(i % SIZE, DATA, 1, Vring.DESC_F_WRITE, 0).offer(i % SIZE);
            q.pushUsed(q.pop(), 1);
        }
        assertThat(ring.usedIdx()).isEqualTo(3 * SIZE + 5);
        // What follows the used ring (avail_event, then free RAM) is untouched without EVENT_IDX.
        assertThat(memory.readLong(GuestAddress.of(ring.used + 4 + 8L * SIZE))).isZero();
    }

    /** Each way a driver can break the ring, with the words the violation must say. */
    static Stream<Arguments> attacks() {
        return Stream.<Arguments>of(
                attack("head beyond the queue size", "head 16 is beyond", r -> r.offer(16)),
                attack("next beyond the table", "next 40", r -> r.descriptor(0, DATA, 4, Vring.DESC_F_NEXT, 40).offer(0)),
                attack("a loop", "a loop", r -> r.descriptor(0, DATA, 4, Vring.DESC_F_NEXT, 1)
                        .descriptor(1, DATA, 4, Vring.DESC_F_NEXT, 0).offer(0)),
                attack("a self loop", "a loop", r -> r.descriptor(5, DATA, 4, Vring.DESC_F_NEXT, 5).offer(5)),
                attack("buffer outside RAM", "outside guest RAM", r -> r.descriptor(0, RAM + 0x1000, 4, 0, 0).offer(0)),
                attack("buffer across the end of RAM", "outside guest RAM", r -> r.descriptor(0, RAM - 8, 16, 0, 0).offer(0)),
                attack("buffer length that wraps the address", "outside guest RAM",
                        r -> r.descriptor(0, -16L, 32, 0, 0).offer(0)),
                attack("4 GiB buffer", "outside guest RAM", r -> r.descriptor(0, DATA, -1, 0, 0).offer(0)),
                attack("writable buffer in ROM", "read-only", r -> r.descriptor(0, ROM, 4, Vring.DESC_F_WRITE, 0).offer(0)),
                attack("readable after writable", "readable after a writable",
                        r -> r.descriptor(0, DATA, 4, Vring.DESC_F_WRITE | Vring.DESC_F_NEXT, 1).descriptor(1, DATA, 4, 0, 0).offer(0)),
                attack("avail.idx far ahead", "more than the queue size", r -> r.availIdx(SIZE + 1)),
                attack("indirect in indirect", "INDIRECT again", r -> r.descriptorAt(INDIRECT, 0, INDIRECT, 16, Vring.DESC_F_INDIRECT, 0)
                        .descriptor(0, INDIRECT, 16, Vring.DESC_F_INDIRECT, 0).offer(0)),
                attack("indirect with next", "INDIRECT and NEXT",
                        r -> r.descriptor(0, INDIRECT, 16, Vring.DESC_F_INDIRECT | Vring.DESC_F_NEXT, 1).offer(0)),
                attack("indirect table of part of a descriptor", "whole descriptors",
                        r -> r.descriptor(0, INDIRECT, 24, Vring.DESC_F_INDIRECT, 0).offer(0)),
                attack("indirect table of zero bytes", "whole descriptors",
                        r -> r.descriptor(0, INDIRECT, 0, Vring.DESC_F_INDIRECT, 0).offer(0)),
                attack("indirect table outside RAM", "indirect table", r -> r.descriptor(0, RAM - 16, 64, Vring.DESC_F_INDIRECT, 0).offer(0)),
                attack("loop inside an indirect table", "a loop", r -> r.descriptorAt(INDIRECT, 0, DATA, 4, Vring.DESC_F_NEXT, 1)
                        .descriptorAt(INDIRECT, 1, DATA, 4, Vring.DESC_F_NEXT, 0).descriptor(0, INDIRECT, 32, Vring.DESC_F_INDIRECT, 0).offer(0)),
                attack("next beyond the indirect table", "beyond its table (2)", r -> r.descriptorAt(INDIRECT, 0, DATA, 4, Vring.DESC_F_NEXT, 2)
                        .descriptor(0, INDIRECT, 32, Vring.DESC_F_INDIRECT, 0).offer(0)));
    }

    private static Arguments attack(String name, String says, Consumer<RingWriter> setUp) {
        return Arguments.of(name, says, setUp);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attacks")
    void everyViolationIsRefusedWithWhatWasWrong(String name, String says, Consumer<RingWriter> setUp) {
        setUp.accept(ring);
        SplitQueue q = queue(true, true);
        assertThatThrownBy(q::pop).isInstanceOf(VirtqueueViolation.class).hasMessageContaining(says);
        assertThat(ring.usedIdx()).as("nothing was returned").isZero();
    }

    @Test
    void indirectWithoutTheFeatureIsAViolation() {
        ring.descriptor(0, INDIRECT, 16, Vring.DESC_F_INDIRECT, 0).offer(0);
        assertThatThrownBy(queue(false, false)::pop).isInstanceOf(VirtqueueViolation.class).hasMessageContaining("not negotiated");
    }

    static Stream<Arguments> badRings() {
        return Stream.of(
                Arguments.of("size not a power of two", 12, RING, RING + 0x400, RING + 0x800, "power of two"),
                Arguments.of("size zero", 0, RING, RING + 0x400, RING + 0x800, "power of two"),
                Arguments.of("size above 32768", 65536, RING, RING + 0x400, RING + 0x800, "power of two"),
                Arguments.of("descriptor table misaligned", 16, RING + 8, RING + 0x400, RING + 0x800, "queue_desc"),
                Arguments.of("available ring misaligned", 16, RING, RING + 0x401, RING + 0x800, "queue_driver"),
                Arguments.of("used ring misaligned", 16, RING, RING + 0x400, RING + 0x802, "queue_device"),
                Arguments.of("descriptor table outside RAM", 16, RAM - 0x80, RING + 0x400, RING + 0x800, "queue_desc"),
                Arguments.of("used ring outside RAM", 16, RING, RING + 0x400, RAM - 4, "queue_device"),
                Arguments.of("used ring in ROM", 16, RING, RING + 0x400, ROM, "read-only"),
                Arguments.of("used ring at the top of the address space", 16, RING, RING + 0x400, -8L, "queue_device"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRings")
    void ringsThatDoNotFitAreRefusedWhenTheQueueIsMade(String name, int size, long desc, long avail, long used, String says) {
        assertThatThrownBy(() -> new SplitQueue("q", memory, size, GuestAddress.of(desc), GuestAddress.of(avail),
                GuestAddress.of(used), true, true)).isInstanceOf(VirtqueueViolation.class).hasMessageContaining(says);
    }
}
