package dev.vmm.devices.virtio.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmm.memory.GuestAddress;
import dev.vmm.memory.GuestMemory;
import dev.vmm.memory.GuestMemoryBuilder;
import dev.vmm.memory.RegionKind;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;

/**
 * A driver that writes random bytes over its descriptor table and available ring: every pop gives a
 * chain whose buffers all lie in RAM, or a VirtqueueViolation; nothing else, and the device writes only
 * inside the used ring.
 */
class RandomRingsProperties {
    static final int SIZE = 8;
    static final long RAM = 0x4000;
    static final long RING = 0x1000;

    @Property(tries = 500)
    void randomRingsGiveCheckedChainsOrViolations(@ForAll @Size(256) byte[] descriptors, @ForAll @Size(22) byte[] availRing,
                                                  @ForAll boolean indirect) {
        try (GuestMemory memory = new GuestMemoryBuilder().add("ram", 0, RAM, RegionKind.RAM).build()) {
            // Descriptors point mostly into RAM: keep the address's high bytes small half of the time.
            for (int i = 0; i < SIZE; i++) {
                if ((descriptors[i * 16 + 15] & 1) == 0) {
                    Arrays.fill(descriptors, i * 16 + 2, i * 16 + 8, (byte) 0);
                    descriptors[i * 16 + 9] &= 0x1f;
                    descriptors[i * 16 + 10] = 0;
                    descriptors[i * 16 + 11] = 0;
                }
            }
            long desc = RING;
            long avail = desc + Vring.descTableSize(SIZE);
            long used = avail + 0x40;
            memory.write(GuestAddress.of(desc), Arrays.copyOf(descriptors, (int) Vring.descTableSize(SIZE)));
            memory.write(GuestAddress.of(avail), Arrays.copyOf(availRing, (int) Vring.availRingSize(SIZE)));
            byte[] before = memory.read(GuestAddress.of(0), RAM);
            SplitQueue q = new SplitQueue("q", memory, SIZE, GuestAddress.of(desc), GuestAddress.of(avail), GuestAddress.of(used),
                    indirect, true);
            for (int round = 0; round < 2 * SIZE; round++) {
                DescriptorChain c;
                try {
                    c = q.pop();
                } catch (VirtqueueViolation expected) {
                    break;
                }
                if (c == null) {
                    break;
                }
                for (var b : c.readable()) {
                    assertThat(memory.isValid(b.address(), b.size())).isTrue();
                }
                for (var b : c.writable()) {
                    assertThat(memory.isValid(b.address(), b.size())).isTrue();
                }
                q.pushUsed(c, 0);
            }
            byte[] after = memory.read(GuestAddress.of(0), RAM);
            for (long i = 0; i < RAM; i++) {
                if (i < used || i >= used + Vring.usedRingSize(SIZE)) {
                    assertThat(after[(int) i]).as("byte 0x%x outside the used ring", i).isEqualTo(before[(int) i]);
                }
            }
        }
    }
}
