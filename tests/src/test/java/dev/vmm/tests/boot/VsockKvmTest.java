package dev.vmm.tests.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmm.app.config.VsockConfig;
import dev.vmm.core.vcpu.StopReason;
import dev.vmm.devices.virtio.pci.VirtioPciFunction;
import dev.vmm.firmware.TestGuest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * virtio-vsock on real KVM with its hybrid host side: a host program connects to the guest's port through
 * the VMM's socket (CONNECT, OK, its bytes echoed), then the test guest's own driver connects to a host
 * service at PATH_1234 and gets its answer; both close cleanly (SHUTDOWN, RST).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class VsockKvmTest {
    @TempDir Path dir;

    @Test
    void theHostReachesAGuestPortAndTheGuestReachesAHostService() throws Exception {
        Path socket = dir.resolve("vsock.sock");
        try (ServerSocketChannel service = ServerSocketChannel.open(StandardProtocolFamily.UNIX)
                .bind(UnixDomainSocketAddress.of(dir.resolve("vsock.sock_1234")));
             TestVm vm = new TestVm(TestVm.scenario(1, "virtio").toBuilder().vsock(new VsockConfig(42, socket)).build())) {
            converse(vm, socket, service);
            VirtioPciFunction f = vm.machine.virtio().getFirst();
            assertThat(f.violations()).isZero();
            assertThat(f.doorbellExits()).as("notifications by ioeventfd").isZero();
        }
        assertThat(socket).as("the VMM removes its socket").doesNotExist();
    }

    /**
     * Boots {@code vm} (the "virtio" scenario with a vsock device on {@code socket}) and plays the host's
     * side: a program connecting to guest port 5001, and {@code service} at PATH_1234; checks both ends.
     */
    static void converse(TestVm vm, Path socket, ServerSocketChannel service) throws Exception {
        CompletableFuture<String> served = CompletableFuture.supplyAsync(() -> answer(service));
        vm.start();
        vm.awaitOutput("listening on port 5001");
        try (SocketChannel host = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            write(host, "CONNECT 5001\n");
            assertThat(readLine(host)).isEqualTo("OK 1073741824");
            write(host, "ping from the host\n");
            assertThat(readLine(host)).as("the guest's echo").isEqualTo("ping from the host");
        }
        assertThat(vm.awaitStop()).as(vm.output()).isEqualTo(new StopReason.GuestExit(0));
        assertThat(vm.output()).contains("virtio-vsock: cid 42, listening on port 5001")
                .contains("virtio-vsock: port 5001 echoed 19 bytes to host port 1073741824")
                .contains("virtio-vsock: host port 1234 answered: pong: hello over vsock from the vmm test guest")
                .contains("virtio-vsock: closed");
        assertThat(served.get(10, TimeUnit.SECONDS)).isEqualTo("hello over vsock from the vmm test guest");
    }

    @Test
    void aGuestConnectionToAPortWithoutAServiceIsReset() throws Exception {
        Path socket = dir.resolve("vsock.sock");
        try (TestVm vm = new TestVm(TestVm.scenario(1, "virtio").toBuilder().vsock(new VsockConfig(3, socket)).build())) {
            vm.start();
            vm.awaitOutput("listening on port 5001");
            try (SocketChannel host = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
                write(host, "CONNECT 5001\n");
                assertThat(readLine(host)).isEqualTo("OK 1073741824");
                write(host, "x\n");
                assertThat(readLine(host)).isEqualTo("x");
            }
            assertThat(vm.awaitStop()).isEqualTo(new StopReason.GuestExit(TestGuest.EXIT_VIRTIO_FAILED));
            assertThat(vm.output()).as("nothing listens at vsock.sock_1234: RST, not RESPONSE")
                    .contains("virtio-vsock: op 3 from the host, expected 2");
            assertThat(vm.machine.virtio().getFirst().violations()).isZero();
        }
    }

    @Test
    void aHostProgramThatSendsNoConnectLineIsDroppedAndTheVmGoesOn() throws Exception {
        Path socket = dir.resolve("vsock.sock");
        try (TestVm vm = new TestVm(TestVm.scenario(1, "virtio").toBuilder().vsock(new VsockConfig(3, socket)).build())) {
            vm.start();
            vm.awaitOutput("listening on port 5001");
            for (String bad : new String[] {"HELLO\n", "CONNECT\n", "CONNECT 99999999999\n", "x".repeat(100)}) {
                try (SocketChannel host = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
                    write(host, bad);
                    assertThat(closedByPeer(host)).as("closed after '%s'", bad.strip()).isTrue();
                }
            }
            try (SocketChannel host = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
                write(host, "CONNECT 5001\n");
                assertThat(readLine(host)).isEqualTo("OK 1073741824");
            }
        }
    }

    /** The end of the stream, or a reset (the VMM closed with bytes of ours unread). */
    private static boolean closedByPeer(SocketChannel c) {
        try {
            return c.read(ByteBuffer.allocate(16)) == -1;
        } catch (IOException reset) {
            return reset.getMessage().contains("reset");
        }
    }

    /** The host service: one connection, its line answered with "pong: " before it, then read to its end. */
    private static String answer(ServerSocketChannel service) {
        try (SocketChannel c = service.accept()) {
            String line = readLine(c);
            write(c, "pong: " + line + "\n");
            while (c.read(ByteBuffer.allocate(256)) >= 0) {
                // until the guest's SHUTDOWN closes the VMM's side
            }
            return line;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(SocketChannel c, String text) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
        while (b.hasRemaining()) {
            c.write(b);
        }
    }

    private static String readLine(SocketChannel c) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        ByteBuffer one = ByteBuffer.allocate(1);
        while (true) {
            one.clear();
            if (c.read(one) < 0) {
                throw new IOException("end of stream after '" + line + "'");
            }
            if (one.get(0) == '\n') {
                return line.toString(StandardCharsets.US_ASCII);
            }
            line.write(one.get(0));
        }
    }
}
