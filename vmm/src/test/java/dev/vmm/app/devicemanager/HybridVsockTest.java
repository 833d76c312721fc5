package dev.vmm.app.devicemanager;

import static dev.vmm.devices.virtio.vsock.VsockPacket.CID_HOST;
import static dev.vmm.devices.virtio.vsock.VsockPacket.OP_CREDIT_REQUEST;
import static dev.vmm.devices.virtio.vsock.VsockPacket.OP_CREDIT_UPDATE;
import static dev.vmm.devices.virtio.vsock.VsockPacket.OP_REQUEST;
import static dev.vmm.devices.virtio.vsock.VsockPacket.OP_RESPONSE;
import static dev.vmm.devices.virtio.vsock.VsockPacket.OP_RST;
import static dev.vmm.devices.virtio.vsock.VsockPacket.OP_RW;
import static dev.vmm.devices.virtio.vsock.VsockPacket.OP_SHUTDOWN;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vmm.core.sys.Epoll;
import dev.vmm.core.sys.EventFd;
import dev.vmm.core.sys.EventLoop;
import dev.vmm.core.sys.EventOps;
import dev.vmm.core.sys.EventSubscriber;
import dev.vmm.core.sys.ReadyEvent;
import dev.vmm.devices.virtio.vsock.VirtioVsock;
import dev.vmm.devices.virtio.vsock.VsockPacket;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hybrid vsock's host side on a real event loop and real Unix sockets, the guest played by the test
 * (what the device would pass on): the CONNECT handshake, connections to PATH_P, credit both ways, the
 * host closing, the guest overrunning its credit, a device reset.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HybridVsockTest {
    static final long CID = 3;

    @TempDir Path dir;
    private final EventLoop loop = new EventLoop("test-vsock", (s, e) -> e.printStackTrace());
    private final OnLoop onLoop = new OnLoop();
    private final AtomicInteger wakes = new AtomicInteger();
    private HybridVsock vsock;

    /** Runs work on the loop's thread, as the device's queue processing runs there. */
    static final class OnLoop implements EventSubscriber {
        final EventFd kick = new EventFd(EventFd.EFD_NONBLOCK);
        final ConcurrentLinkedQueue<Runnable> work = new ConcurrentLinkedQueue<>();

        <T> T call(Supplier<T> s) throws Exception {
            var f = new CompletableFuture<T>();
            work.add(() -> {
                try {
                    f.complete(s.get());
                } catch (Throwable t) {
                    f.completeExceptionally(t);
                }
            });
            kick.write(1);
            return f.get(10, TimeUnit.SECONDS);
        }

        @Override public void init(EventOps ops) { ops.add(kick.fd(), Epoll.EPOLLIN); }

        @Override
        public void process(ReadyEvent event, EventOps ops) {
            kick.read();
            for (Runnable r; (r = work.poll()) != null; ) {
                r.run();
            }
        }
    }

    private void start() {
        vsock = new HybridVsock("vsock0", CID, dir.resolve("v.sock"));
        vsock.wakeReceive(wakes::incrementAndGet);
        loop.add(vsock);
        loop.add(onLoop);
    }

    @AfterEach
    void stop() throws Exception {
        loop.close();
        if (vsock != null) {
            vsock.close();
        }
        onLoop.kick.close();
    }

    private void send(VsockPacket p) throws Exception {
        onLoop.call(() -> {
            vsock.send(p);
            return null;
        });
    }

    private VsockPacket poll(int max) throws Exception {
        return onLoop.call(() -> vsock.poll(max));
    }

    /** Polls until a packet comes (the loop must first see the socket ready). */
    private VsockPacket next(int max) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            VsockPacket p = poll(max);
            if (p != null) {
                return p;
            }
            Thread.sleep(1);
        }
        throw new AssertionError("no packet for the guest");
    }

    private static VsockPacket guest(int srcPort, int dstPort, int op, int bufAlloc, int fwdCnt, byte[] data) {
        return new VsockPacket(CID, CID_HOST, srcPort, dstPort, VsockPacket.TYPE_STREAM, op, 0, bufAlloc, fwdCnt, data);
    }

    private static String readLine(SocketChannel c) throws IOException {
        StringBuilder line = new StringBuilder();
        ByteBuffer one = ByteBuffer.allocate(1);
        while (true) {
            one.clear();
            if (c.read(one) < 0) {
                throw new IOException("end of stream after '" + line + "'");
            }
            if (one.get(0) == '\n') {
                return line.toString();
            }
            line.append((char) one.get(0));
        }
    }

    /** Host connects with CONNECT 5001, the guest answers: the connection's host port. */
    private int connectFromHost(SocketChannel host) throws Exception {
        host.write(ByteBuffer.wrap("CONNECT 5001\n".getBytes(StandardCharsets.US_ASCII)));
        VsockPacket request = next(4096);
        assertThat(request.op()).isEqualTo(OP_REQUEST);
        assertThat(request.dstCid()).isEqualTo(CID);
        assertThat(request.srcCid()).isEqualTo(CID_HOST);
        assertThat(request.dstPort()).isEqualTo(5001);
        send(guest(5001, request.srcPort(), OP_RESPONSE, 65536, 0, null));
        assertThat(readLine(host)).isEqualTo("OK " + Integer.toUnsignedString(request.srcPort()));
        return request.srcPort();
    }

    @Test
    void theHostSendsNoMoreThanTheGuestsCreditAndAsksForMore() throws Exception {
        start();
        try (SocketChannel host = SocketChannel.open(UnixDomainSocketAddress.of(vsock.path()))) {
            int port = connectFromHost(host);
            assertThat(port).isEqualTo(HybridVsock.FIRST_LOCAL_PORT);
            byte[] big = new byte[150_000];
            for (int i = 0; i < big.length; i++) {
                big[i] = (byte) i;
            }
            ByteBuffer b = ByteBuffer.wrap(big);
            while (b.hasRemaining()) {
                host.write(b);
            }
            // The guest offered 64 KiB (buf_alloc 65536, fwd_cnt 0): that much arrives, then a credit request.
            List<byte[]> got = new ArrayList<>();
            int total = 0;
            VsockPacket p;
            while ((p = next(16384)).op() == OP_RW) {
                assertThat(p.data().length).isLessThanOrEqualTo(16384);
                got.add(p.data());
                total += p.data().length;
            }
            assertThat(total).isEqualTo(65536);
            assertThat(p.op()).isEqualTo(OP_CREDIT_REQUEST);
            assertThat(poll(16384)).as("nothing more until the guest makes room").isNull();
            // The guest consumed it all and says so.
            send(guest(5001, port, OP_CREDIT_UPDATE, 65536, 65536, null));
            while (total < big.length) {
                p = next(65536);
                if (p.op() == OP_CREDIT_REQUEST) {
                    send(guest(5001, port, OP_CREDIT_UPDATE, 65536, total, null));
                    continue;
                }
                assertThat(p.op()).isEqualTo(OP_RW);
                got.add(p.data());
                total += p.data().length;
            }
            ByteBuffer all = ByteBuffer.allocate(total);
            got.forEach(all::put);
            assertThat(all.array()).as("every byte, in order").isEqualTo(big);
        }
        // The host closed: the guest hears SHUTDOWN, answers RST.
        VsockPacket shutdown = next(4096);
        assertThat(shutdown.op()).isEqualTo(OP_SHUTDOWN);
        assertThat(shutdown.flags()).isEqualTo(VsockPacket.SHUTDOWN_RCV | VsockPacket.SHUTDOWN_SEND);
        send(guest(5001, shutdown.srcPort(), OP_RST, 0, 0, null));
        assertThat(poll(4096)).isNull();
        assertThat(vsock.connectionsOpened()).isEqualTo(1);
    }

    @Test
    void theGuestsBytesReachTheServiceAndItsCreditComesBack() throws Exception {
        start();
        try (ServerSocketChannel service = ServerSocketChannel.open(StandardProtocolFamily.UNIX)
                .bind(UnixDomainSocketAddress.of(dir.resolve("v.sock_1234")))) {
            send(guest(6000, 1234, OP_REQUEST, 65536, 0, null));
            VsockPacket response = next(4096);
            assertThat(response.op()).isEqualTo(OP_RESPONSE);
            assertThat(response.bufAlloc()).isEqualTo(VsockConnection.BUF_ALLOC);
            try (SocketChannel c = service.accept()) {
                // The guest sends its whole credit; the service reads it all; the guest hears of the room.
                byte[] chunk = new byte[VirtioVsock.MAX_PAYLOAD];
                int sent = 0;
                while (sent < VsockConnection.BUF_ALLOC) {
                    send(guest(6000, 1234, OP_RW, 65536, 0, chunk));
                    sent += chunk.length;
                }
                ByteBuffer in = ByteBuffer.allocate(VsockConnection.BUF_ALLOC);
                while (in.hasRemaining()) {
                    c.read(in);
                }
                VsockPacket update = next(4096);
                assertThat(update.op()).isEqualTo(OP_CREDIT_UPDATE);
                assertThat(update.fwdCnt()).as("forwarded to the service").isGreaterThanOrEqualTo(VsockConnection.CREDIT_LOW);
            }
        }
    }

    @Test
    void aGuestThatOverrunsItsCreditIsReset() throws Exception {
        start();
        try (ServerSocketChannel service = ServerSocketChannel.open(StandardProtocolFamily.UNIX)
                .bind(UnixDomainSocketAddress.of(dir.resolve("v.sock_7")))) {
            send(guest(6000, 7, OP_REQUEST, 65536, 0, null));
            assertThat(next(4096).op()).isEqualTo(OP_RESPONSE);
            try (SocketChannel c = service.accept()) {
                // The service reads nothing: the socket's own buffer fills, then ours; beyond our credit, RST.
                byte[] chunk = new byte[VirtioVsock.MAX_PAYLOAD];
                // (Credit updates for what the socket's buffer took are fine; the guest here ignores them.)
                VsockPacket answer = null;
                for (int i = 0; i < 64 && (answer == null || answer.op() == OP_CREDIT_UPDATE); i++) {
                    send(guest(6000, 7, OP_RW, 65536, 0, chunk));
                    answer = poll(4096);
                }
                assertThat(answer).isNotNull();
                assertThat(answer.op()).isEqualTo(OP_RST);
                c.configureBlocking(true);
                ByteBuffer drain = ByteBuffer.allocate(1 << 20);
                long read = 0;
                for (long n; (n = c.read(drain)) >= 0; drain.clear()) {
                    read += n;
                }
                assertThat(read).as("what the service got before the end").isGreaterThan(0);
            }
        }
    }

    @Test
    void aGuestRequestForAPortWithoutAServiceIsRefusedAndStrayPacketsAreReset() throws Exception {
        start();
        send(guest(6000, 99, OP_REQUEST, 65536, 0, null));
        VsockPacket rst = next(4096);
        assertThat(rst.op()).isEqualTo(OP_RST);
        assertThat(rst.srcPort()).isEqualTo(99);
        assertThat(rst.dstPort()).isEqualTo(6000);
        send(guest(6001, 98, OP_RW, 65536, 0, new byte[3]));
        assertThat(next(4096).op()).as("data of no connection").isEqualTo(OP_RST);
        send(guest(6002, 97, OP_RST, 65536, 0, null));
        assertThat(poll(4096)).as("an RST is never answered").isNull();
        assertThat(vsock.connectionsRefused()).isEqualTo(1);
    }

    @Test
    void aDeviceResetClosesEveryConnection() throws Exception {
        start();
        try (SocketChannel host = SocketChannel.open(UnixDomainSocketAddress.of(vsock.path()))) {
            connectFromHost(host);
            vsock.reset();                  // from another thread, as a vCPU resets the device
            assertThat(host.read(ByteBuffer.allocate(8))).as("the host sees the end").isEqualTo(-1);
            assertThat(poll(4096)).isNull();
        }
        try (SocketChannel again = SocketChannel.open(UnixDomainSocketAddress.of(vsock.path()))) {
            assertThat(connectFromHost(again)).as("a port freed by the reset may come again").isGreaterThanOrEqualTo(
                    HybridVsock.FIRST_LOCAL_PORT);
        }
    }

    @Test
    void aHostThatShutsItsWritingSideStillGetsTheGuestsAnswer() throws Exception {
        start();
        try (SocketChannel host = SocketChannel.open(UnixDomainSocketAddress.of(vsock.path()))) {
            int port = connectFromHost(host);
            host.write(ByteBuffer.wrap("request".getBytes(StandardCharsets.US_ASCII)));
            host.shutdownOutput();           // "send the request, then EOF", as nc -N does
            VsockPacket rw = next(4096);
            assertThat(rw.op()).isEqualTo(OP_RW);
            VsockPacket shutdown = next(4096);
            assertThat(shutdown.op()).isEqualTo(OP_SHUTDOWN);
            assertThat(shutdown.flags()).as("the host sends no more; it still reads").isEqualTo(VsockPacket.SHUTDOWN_SEND);
            send(guest(5001, port, OP_RW, 65536, 7, "reply".getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer in = ByteBuffer.allocate(5);
            while (in.hasRemaining()) {
                host.read(in);
            }
            assertThat(new String(in.array(), StandardCharsets.US_ASCII)).isEqualTo("reply");
        }
    }

    @Test
    void bytesTheGuestSentBeforeItsCloseAllReachASlowService() throws Exception {
        start();
        try (ServerSocketChannel service = ServerSocketChannel.open(StandardProtocolFamily.UNIX)
                .bind(UnixDomainSocketAddress.of(dir.resolve("v.sock_8")))) {
            send(guest(6000, 8, OP_REQUEST, 65536, 0, null));
            assertThat(next(4096).op()).isEqualTo(OP_RESPONSE);
            try (SocketChannel c = service.accept()) {
                byte[] chunk = new byte[VirtioVsock.MAX_PAYLOAD];
                for (int i = 0; i < chunk.length; i++) {
                    chunk[i] = (byte) i;
                }
                for (int i = 0; i < 4; i++) {    // 256 KiB: the credit, more than the socket's buffer takes
                    send(guest(6000, 8, OP_RW, 65536, 0, chunk));
                }
                send(new VsockPacket(CID, CID_HOST, 6000, 8, VsockPacket.TYPE_STREAM, OP_SHUTDOWN,
                        VsockPacket.SHUTDOWN_RCV | VsockPacket.SHUTDOWN_SEND, 65536, 0, null));
                VsockPacket p;
                while ((p = next(4096)).op() == OP_CREDIT_UPDATE) {
                    // credit for what the socket took
                }
                assertThat(p.op()).as("the guest's close is answered at once").isEqualTo(OP_RST);
                ByteBuffer all = ByteBuffer.allocate(5 * VirtioVsock.MAX_PAYLOAD);
                while (c.read(all) >= 0) {
                    // to the end: the VMM closes the socket once every byte is written
                }
                assertThat(all.position()).isEqualTo(4 * VirtioVsock.MAX_PAYLOAD);
                assertThat(all.get(VirtioVsock.MAX_PAYLOAD * 3 + 255)).isEqualTo((byte) 255);
            }
        }
    }

    @Test
    void aGuestThatSendsWithoutReceivingIsHeldBackNotBuffered() throws Exception {
        start();
        for (int i = 0; i < HybridVsock.MAX_PENDING_REPLIES; i++) {
            send(guest(6000 + i, 99, OP_REQUEST, 65536, 0, null));   // each answered by an RST nobody takes
        }
        assertThat(onLoop.call(vsock::backlogged)).isTrue();
        assertThat(poll(4096).op()).isEqualTo(OP_RST);
        assertThat(onLoop.call(vsock::backlogged)).isFalse();
    }
}
