package dev.vmm.devices.virtio.vsock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmm.devices.virtio.RingWriter;
import dev.vmm.devices.virtio.pci.TestDriver;
import dev.vmm.devices.virtio.pci.VirtioPciFunction;
import dev.vmm.devices.virtio.queue.Vring;
import dev.vmm.memory.GuestAddress;
import dev.vmm.memory.GuestMemory;
import dev.vmm.memory.GuestMemoryBuilder;
import dev.vmm.memory.RegionKind;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** virtio-vsock's queues against a backend that records what the guest sends and hands out queued packets. */
public class VirtioVsockTest {
    static final long CID = 42;

    /** The host side as the device sees it. */
    public static final class Host implements VirtioVsock.Backend {
        final Deque<VsockPacket> toGuest = new ArrayDeque<>();
        final List<VsockPacket> fromGuest = new ArrayList<>();
        final List<Integer> maxData = new ArrayList<>();
        int resets;
        int backlogLimit = Integer.MAX_VALUE;

        boolean answerEach;

        @Override
        public void send(VsockPacket packet) {
            fromGuest.add(packet);
            if (answerEach) {
                toGuest.add(VsockPacket.control(2, CID, packet.dstPort(), packet.srcPort(), VsockPacket.OP_RST, 0, 0, 0));
            }
        }
        @Override public boolean pending() { return !toGuest.isEmpty(); }
        @Override public boolean backlogged() { return toGuest.size() >= backlogLimit; }

        @Override
        public VsockPacket poll(int max) {
            maxData.add(max);
            VsockPacket p = toGuest.peek();
            return p == null || p.data().length > max ? null : toGuest.poll();
        }

        @Override public void reset() { resets++; }
    }

    private final GuestMemory memory = new GuestMemoryBuilder().add("ram", 0, 0x10_0000, RegionKind.RAM).build();
    private final Host host = new Host();
    private int wakes;
    private final VirtioVsock vsock = new VirtioVsock("virtio-vsock0", CID, host, () -> wakes++);
    private final TestDriver driver = new TestDriver(vsock, memory, false);
    private RingWriter rx;
    private RingWriter tx;

    @AfterEach
    void close() {
        driver.function.close();
        memory.close();
    }

    private void start() {
        assertThat(driver.negotiate(TestDriver.standard(vsock.features()))).isTrue();
        rx = driver.queue(memory, VirtioVsock.RXQ, 16, 0x1000, 0xffff);
        tx = driver.queue(memory, VirtioVsock.TXQ, 16, 0x3000, 0xffff);
        driver.queue(memory, VirtioVsock.EVENTQ, 16, 0x5000, 0xffff);
        driver.driverOk();
    }

    private static byte[] guestPacket(long src, long dst, int op, String data, int lenField) {
        byte[] d = data.getBytes(StandardCharsets.US_ASCII);
        byte[] h = new VsockPacket(src, dst, 6000, 1234, VsockPacket.TYPE_STREAM, op, 0, 4096, 0, d).header();
        java.lang.foreign.MemorySegment.ofArray(h).set(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED, 24, lenField);
        byte[] all = Arrays.copyOf(h, h.length + d.length);
        System.arraycopy(d, 0, all, h.length, d.length);
        return all;
    }

    private void transmit(byte[] packet) {
        memory.write(GuestAddress.of(0x8000), packet);
        tx.descriptor(0, 0x8000, packet.length, 0, 0).offer(0);
        driver.kick(VirtioVsock.TXQ);
    }

    @Test
    void theConfigurationHoldsTheGuestCid() {
        assertThat(driver.read(VirtioPciFunction.DEVICE_OFFSET, 4)).isEqualTo(CID);
        assertThat(driver.read(VirtioPciFunction.DEVICE_OFFSET + 4, 4)).isZero();
        assertThat(driver.read(VirtioPciFunction.DEVICE_OFFSET, 1)).isEqualTo(CID);
        assertThat(vsock.deviceType()).isEqualTo(19);
        assertThat(vsock.queueMaxSizes()).hasSize(3);
    }

    @Test
    void aPacketFromTheGuestReachesTheHostWithItsFieldsAndPayload() {
        start();
        transmit(guestPacket(CID, VsockPacket.CID_HOST, VsockPacket.OP_RW, "hello", 5));
        assertThat(host.fromGuest).hasSize(1);
        VsockPacket p = host.fromGuest.getFirst();
        assertThat(p.srcCid()).isEqualTo(CID);
        assertThat(p.dstCid()).isEqualTo(2);
        assertThat(p.srcPort()).isEqualTo(6000);
        assertThat(p.dstPort()).isEqualTo(1234);
        assertThat(p.op()).isEqualTo(VsockPacket.OP_RW);
        assertThat(p.bufAlloc()).isEqualTo(4096);
        assertThat(new String(p.data(), StandardCharsets.US_ASCII)).isEqualTo("hello");
        assertThat(tx.usedElem(0)).containsExactly(0, 0);
        assertThat(vsock.packetsDropped()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"short header", "len beyond the chain", "len beyond 64 KiB", "another source CID",
            "a destination other than the host"})
    void aPacketThatBreaksTheRulesIsDroppedAndReturned(String how) {
        start();
        byte[] p = switch (how) {
            case "short header" -> new byte[20];
            case "len beyond the chain" -> guestPacket(CID, 2, VsockPacket.OP_RW, "abc", 4);
            case "len beyond 64 KiB" -> guestPacket(CID, 2, VsockPacket.OP_RW, "abc", 0x10001);
            case "another source CID" -> guestPacket(CID + 1, 2, VsockPacket.OP_REQUEST, "", 0);
            default -> guestPacket(CID, 7, VsockPacket.OP_REQUEST, "", 0);
        };
        transmit(p);
        assertThat(host.fromGuest).isEmpty();
        assertThat(vsock.packetsDropped()).isEqualTo(1);
        assertThat(tx.usedIdx()).isEqualTo(1);
        assertThat(driver.function.violations()).as("a protocol error, not a ring violation").isZero();
    }

    @Test
    void aPacketForTheGuestFillsAReceiveBufferAfterItsHeader() {
        start();
        host.toGuest.add(new VsockPacket(2, CID, 1 << 30, 5001, VsockPacket.TYPE_STREAM, VsockPacket.OP_RW, 0, 262144, 9,
                "ping".getBytes(StandardCharsets.US_ASCII)));
        rx.descriptor(0, 0xa000, 44 + 100, Vring.DESC_F_WRITE, 0).offer(0);
        driver.kick(VirtioVsock.RXQ);
        assertThat(rx.usedElem(0)).containsExactly(0, 48);
        byte[] got = memory.read(GuestAddress.of(0xa000), 48);
        VsockPacket p = VsockPacket.decode(Arrays.copyOf(got, 44), Arrays.copyOfRange(got, 44, 48));
        assertThat(p.dstCid()).isEqualTo(CID);
        assertThat(p.srcPort()).isEqualTo(1 << 30);
        assertThat(p.fwdCnt()).isEqualTo(9);
        assertThat(VsockPacket.length(Arrays.copyOf(got, 44))).isEqualTo(4);
        assertThat(new String(p.data(), StandardCharsets.US_ASCII)).isEqualTo("ping");
        assertThat(host.maxData).containsExactly(100);
        assertThat(vsock.packetsSent()).isEqualTo(1);
    }

    @Test
    void aPacketWaitsForABufferAndABufferForAPacket() {
        start();
        rx.descriptor(0, 0xa000, 44 + 2, Vring.DESC_F_WRITE, 0).offer(0);
        host.toGuest.add(new VsockPacket(2, CID, 1, 2, 1, VsockPacket.OP_RW, 0, 0, 0, new byte[10]));
        driver.kick(VirtioVsock.RXQ);
        assertThat(rx.usedIdx()).as("10 bytes do not fit in 2: the buffer is kept").isZero();
        rx.descriptor(1, 0xb000, 44 + 64, Vring.DESC_F_WRITE, 0).offer(1);
        host.toGuest.clear();
        host.toGuest.add(VsockPacket.control(2, CID, 1, 2, VsockPacket.OP_RESPONSE, 0, 0, 0));
        driver.kick(VirtioVsock.RXQ);
        assertThat(rx.usedElem(0)).as("the kept buffer is used first").containsExactly(0, 44);
    }

    @Test
    void aReceiveBufferTooSmallForAHeaderIsReturnedEmptyAndCounted() {
        start();
        host.toGuest.add(VsockPacket.control(2, CID, 1, 2, VsockPacket.OP_RESPONSE, 0, 0, 0));
        rx.descriptor(0, 0xa000, 16, Vring.DESC_F_WRITE, 0).offer(0).descriptor(1, 0xb000, 64, Vring.DESC_F_WRITE, 0).offer(1);
        driver.kick(VirtioVsock.RXQ);
        assertThat(rx.usedElem(0)).containsExactly(0, 0);
        assertThat(rx.usedElem(1)).containsExactly(1, 44);
        assertThat(vsock.packetsDropped()).isEqualTo(1);
    }

    @Test
    void aTransmitAnswerIsDeliveredWithoutAReceiveNotification() {
        start();
        rx.descriptor(0, 0xa000, 64, Vring.DESC_F_WRITE, 0).offer(0);
        host.toGuest.add(VsockPacket.control(2, CID, 1234, 6000, VsockPacket.OP_RESPONSE, 0, 0, 0));
        transmit(guestPacket(CID, 2, VsockPacket.OP_REQUEST, "", 0));
        assertThat(rx.usedElem(0)).containsExactly(0, 44);
    }

    @Test
    void answersWaitingForReceiveBuffersHoldTheGuestsNextPacketsBack() {
        start();
        host.backlogLimit = 2;
        host.answerEach = true;
        host.toGuest.add(VsockPacket.control(2, CID, 1, 2, VsockPacket.OP_RST, 0, 0, 0));
        host.toGuest.add(VsockPacket.control(2, CID, 1, 2, VsockPacket.OP_RST, 0, 0, 0));
        byte[] p = guestPacket(CID, 2, VsockPacket.OP_RW, "x", 1);
        memory.write(GuestAddress.of(0x8000), p);
        for (int i = 0; i < 4; i++) {
            tx.descriptor(i, 0x8000, p.length, 0, 0).offer(i);
        }
        driver.kick(VirtioVsock.TXQ);
        assertThat(host.fromGuest).as("two answers wait, no buffer for them: nothing taken").isEmpty();
        assertThat(tx.usedIdx()).isZero();
        rx.descriptor(0, 0xa000, 64, Vring.DESC_F_WRITE, 0).offer(0);
        driver.kick(VirtioVsock.RXQ);
        assertThat(host.fromGuest).as("one answer out, one packet in, then full again").hasSize(1);
        rx.descriptor(1, 0xb000, 64, Vring.DESC_F_WRITE, 0).offer(1).descriptor(2, 0xc000, 64, Vring.DESC_F_WRITE, 0).offer(2)
                .descriptor(3, 0xd000, 64, Vring.DESC_F_WRITE, 0).offer(3);
        driver.kick(VirtioVsock.RXQ);
        assertThat(host.fromGuest).hasSize(4);
        assertThat(tx.usedIdx()).isEqualTo(4);
    }

    @Test
    void activationWakesTheReceiveQueueAndAResetReachesTheHost() {
        start();
        assertThat(wakes).isEqualTo(1);
        driver.reset();
        assertThat(host.resets).isEqualTo(1);
    }

    @Test
    void aGuestCidOutsideTheGuestsRangeIsRefused() {
        for (long cid : new long[] {0, 1, 2, 0xFFFF_FFFFL}) {
            assertThatThrownBy(() -> new VirtioVsock("v", cid, host, () -> { })).hasMessageContaining("guest CID " + cid);
        }
    }
}
