package dev.vmm.devices.virtio.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmm.devices.virtio.RingWriter;
import dev.vmm.devices.virtio.VirtioFeatures;
import dev.vmm.devices.virtio.pci.TestDriver;
import dev.vmm.devices.virtio.pci.VirtioPciFunction;
import dev.vmm.devices.virtio.queue.Vring;
import dev.vmm.memory.GuestAddress;
import dev.vmm.memory.GuestMemory;
import dev.vmm.memory.GuestMemoryBuilder;
import dev.vmm.memory.RegionKind;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** virtio-net's queues against a backend that records what is sent and hands out queued frames. */
public class VirtioNetTest {
    /** The host side as the device sees it: frames in a queue, frames sent in a list. */
    public static final class Wire implements VirtioNet.Backend {
        final Deque<byte[]> incoming = new ArrayDeque<>();
        final List<byte[]> sent = new ArrayList<>();

        @Override
        public int receive(byte[] frame) {
            byte[] f = incoming.poll();
            if (f == null) {
                return -1;
            }
            System.arraycopy(f, 0, frame, 0, f.length);
            return f.length;
        }

        @Override
        public boolean send(byte[] frame, int length) {
            sent.add(Arrays.copyOf(frame, length));
            return true;
        }
    }

    private final GuestMemory memory = new GuestMemoryBuilder().add("ram", 0, 0x10_0000, RegionKind.RAM).build();
    private final Wire wire = new Wire();
    private final VirtioNet net = new VirtioNet("virtio-net0", new byte[] {0x52, 0x54, 0, 1, 2, 3}, wire);
    private final TestDriver driver = new TestDriver(net, memory, false);
    private RingWriter rx;
    private RingWriter tx;

    @AfterEach
    void close() {
        driver.function.close();
        memory.close();
    }

    private void start() {
        assertThat(driver.negotiate(TestDriver.standard(net.features()))).isTrue();
        rx = driver.queue(memory, VirtioNet.RXQ, 16, 0x1000, 0xffff);
        tx = driver.queue(memory, VirtioNet.TXQ, 16, 0x3000, 0xffff);
        driver.driverOk();
    }

    @Test
    void theConfigurationHasTheMacAndLinkUp() {
        assertThat(VirtioFeatures.has(driver.deviceFeatures(), VirtioNet.F_MAC)).isTrue();
        assertThat(driver.read(VirtioPciFunction.DEVICE_OFFSET, 4)).isEqualTo(0x01005452L);
        assertThat(driver.read(VirtioPciFunction.DEVICE_OFFSET + 6, 2)).isEqualTo(VirtioNet.S_LINK_UP);
    }

    @Test
    void aTransmittedChainIsOneFrameWithoutItsHeader() {
        start();
        byte[] frame = new byte[60];
        Arrays.fill(frame, (byte) 7);
        memory.write(GuestAddress.of(0x8000), new byte[12]);
        memory.write(GuestAddress.of(0x9000), frame);
        tx.descriptor(0, 0x8000, 12, Vring.DESC_F_NEXT, 1).descriptor(1, 0x9000, 60, 0, 0).offer(0);
        driver.kick(VirtioNet.TXQ);
        assertThat(wire.sent).hasSize(1);
        assertThat(wire.sent.getFirst()).isEqualTo(frame);
        assertThat(tx.usedIdx()).isEqualTo(1);
    }

    @Test
    void aFrameWaitsForAReceiveBufferThenFillsItAfterAHeader() {
        start();
        wire.incoming.add(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15});
        driver.function.wake(VirtioNet.RXQ);
        assertThat(net.rxStalled()).as("no buffer yet").isTrue();
        rx.descriptor(0, 0xa000, 1526, Vring.DESC_F_WRITE, 0).offer(0);
        driver.kick(VirtioNet.RXQ);
        assertThat(net.rxStalled()).isFalse();
        assertThat(rx.usedElem(0)).containsExactly(0, 12 + 15);
        byte[] got = memory.read(GuestAddress.of(0xa000), 27);
        assertThat(got[10]).as("num_buffers").isEqualTo((byte) 1);
        assertThat(Arrays.copyOfRange(got, 12, 27)).containsExactly(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
        assertThat(net.framesReceived()).isEqualTo(1);
    }

    @Test
    void aFrameLargerThanTheBufferIsDroppedNotTruncated() {
        start();
        wire.incoming.add(new byte[1500]);
        rx.descriptor(0, 0xa000, 100, Vring.DESC_F_WRITE, 0).offer(0);
        driver.kick(VirtioNet.RXQ);
        assertThat(rx.usedElem(0)).containsExactly(0, 0);
        assertThat(net.framesDropped()).isEqualTo(1);
    }

    @Test
    void aTransmitChainWithoutAFrameIsDroppedAndReturned() {
        start();
        tx.descriptor(0, 0x8000, 8, 0, 0).offer(0);
        driver.kick(VirtioNet.TXQ);
        assertThat(wire.sent).isEmpty();
        assertThat(net.framesDropped()).isEqualTo(1);
        assertThat(tx.usedIdx()).isEqualTo(1);
    }

    @Test
    void beforeTheDriverIsReadyTheDeviceTakesNoFrame() {
        assertThat(net.rxStalled()).isTrue();
    }
}
