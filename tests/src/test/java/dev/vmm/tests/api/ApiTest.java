package dev.vmm.tests.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vmm.app.api.ApiClient;
import dev.vmm.app.api.ApiRoutes;
import dev.vmm.app.api.ApiServer;
import dev.vmm.app.api.VmController;
import dev.vmm.app.config.CharDevice;
import dev.vmm.app.config.ConfigJson;
import dev.vmm.app.config.FwCfgEntry;
import dev.vmm.app.config.VmConfig;
import dev.vmm.app.machine.Console;
import dev.vmm.firmware.TestGuest;
import java.io.ByteArrayOutputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The management API on real KVM with the test guest, in this JVM: every answer checked against the
 * OpenAPI document; the lifecycle through it; bad requests answered 4xx with the VM unaffected; many
 * clients at once; a VM configured, started and stopped again and again without leaks.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir Path dir;
    private final ByteArrayOutputStream serial = new ByteArrayOutputStream();
    private VmController vm;
    private ApiServer server;
    private OpenApiDocument openapi;

    static VmConfig guest(String scenario) {
        return VmConfig.builder().memory(16L << 20).serial(new CharDevice.Stdio())
                .addFwCfg(FwCfgEntry.ofString(TestGuest.SCENARIO_FILE, scenario)).build();
    }

    private void serve(VmConfig config) throws Exception {
        openapi = new OpenApiDocument();
        vm = new VmController(config, new Console(null, serial), l -> { }, r -> { });
        server = ApiServer.start(dir.resolve("api.sock"), new ApiRoutes(vm));
    }

    @AfterEach
    void close() throws Exception {
        if (vm != null && (vm.state() == VmController.State.RUNNING || vm.state() == VmController.State.PAUSED)) {
            vm.stop();
        }
        if (server != null) {
            server.close();
        }
    }

    private ApiClient.Reply call(String method, String path, String body) throws Exception {
        return openapi.check(method, path, ApiClient.send(server.path(), method, path, body, 30));
    }

    private JsonNode json(ApiClient.Reply r) throws Exception {
        return JSON.readTree(r.body());
    }

    private String state() throws Exception {
        return json(call("GET", "/vm", null)).get("state").asText();
    }

    @Test
    void theSocketIsTheOwnersOnlyAndGoesWithTheServer() throws Exception {
        serve(guest("spin"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(server.path()))).isEqualTo("rw-------");
        server.close();
        assertThat(dir.resolve("api.sock")).doesNotExist();
        server = null;
    }

    @Test
    void aVmGoesThroughItsLifecycleThroughTheApi() throws Exception {
        serve(guest("spin"));
        assertThat(state()).isEqualTo("not_started");
        assertThat(call("GET", "/vm/config", null).status()).isEqualTo(200);
        assertThat(call("PUT", "/actions", "{\"action\":\"start\"}").status()).isEqualTo(204);
        assertThat(state()).isEqualTo("running");
        assertThat(call("PUT", "/actions", "{\"action\":\"pause\"}").status()).isEqualTo(204);
        assertThat(state()).isEqualTo("paused");
        JsonNode metrics = json(call("GET", "/metrics", null));
        assertThat(metrics.get("vcpu_exits")).hasSize(1);
        assertThat(call("PUT", "/actions", "{\"action\":\"resume\"}").status()).isEqualTo(204);
        ApiClient.Reply shutdown = call("PUT", "/actions", "{\"action\":\"shutdown\"}");
        assertThat(shutdown.status()).isEqualTo(202);
        assertThat(json(shutdown).get("acpi_listening").asBoolean()).as("the test guest has no ACPI driver").isFalse();
        assertThat(call("PUT", "/actions", "{\"action\":\"stop\"}").status()).isEqualTo(204);
        JsonNode info = json(call("GET", "/vm", null));
        assertThat(info.get("state").asText()).isEqualTo("stopped");
        assertThat(info.get("stop_reason").asText()).contains("stop action through the API");
        assertThat(call("GET", "/vm/measurement", null).status()).as("not confidential").isEqualTo(404);
        // Stopped, then configured anew: a second VM in the same process.
        assertThat(call("PUT", "/vm/config", ConfigJson.write(guest("exit:7"))).status()).isEqualTo(204);
        assertThat(state()).isEqualTo("not_started");
        call("PUT", "/actions", "{\"action\":\"start\"}");
        vm.awaitStopped();
        info = json(call("GET", "/vm", null));
        assertThat(info.get("exit_status").asInt()).isEqualTo(7);
    }

    @Test
    void badRequestsAre4xxWithAMessageAndTheVmGoesOn() throws Exception {
        serve(guest("spin"));
        call("PUT", "/actions", "{\"action\":\"start\"}");
        record Bad(String method, String path, String body, int status, String message) {}
        List<Bad> bad = List.of(
                new Bad("PUT", "/actions", "{\"action\":\"pause\"", 400, "malformed JSON"),
                new Bad("PUT", "/actions", "{\"action\":\"jump\"}", 400, "'jump' is not start"),
                new Bad("PUT", "/actions", "{\"verb\":\"start\"}", 400, "verb"),
                new Bad("PUT", "/actions", "", 400, "no JSON body"),
                new Bad("PUT", "/actions", "{\"action\":\"start\"}", 409, "the VM is running"),
                new Bad("PUT", "/actions", "{\"action\":\"resume\"}", 409, "not paused"),
                new Bad("PUT", "/vm/config", ConfigJson.write(guest("boot")), 409, "only a VM not started"),
                new Bad("PUT", "/vm/config", "{\"cpus\":{\"count\":2,\"sockets\":1}}", 400, "cpus.sockets"),
                new Bad("DELETE", "/vm", null, 405, "allowed GET"),
                new Bad("POST", "/actions", "{}", 405, "allowed PUT"),
                new Bad("GET", "/nothing", null, 404, "no such resource"),
                new Bad("PUT", "/drives/d0", "{\"path\":\"/nonexistent.img\"}", 409, "only a VM not started"),
                new Bad("GET", "/vm/measurement", null, 404, "not confidential"));
        for (Bad b : bad) {
            ApiClient.Reply r = ApiClient.send(server.path(), b.method, b.path, b.body, 30);
            assertThat(r.status()).as("%s %s %s: %s", b.method, b.path, b.body, r.body()).isEqualTo(b.status);
            assertThat(json(r).get("error").asText()).contains(b.message);
            if (openapi.template(b.path) != null) {
                openapi.check(b.method, b.path, r);
            } else {
                openapi.validate("Error", r.body(), b.path);
            }
        }
        ApiClient.Reply huge = ApiClient.send(server.path(), "PUT", "/vm/config", "{\"x\":\"" + "a".repeat(100_000) + "\"}", 30);
        assertThat(huge.status()).isEqualTo(413);
        openapi.validate("Error", huge.body(), "413");
        assertThat(state()).as("the VM is unaffected").isEqualTo("running");
    }

    @Test
    void configAndDevicesArePutBeforeBootAndRefusedWithTheirField() throws Exception {
        serve(null);
        assertThat(call("GET", "/vm/config", null).status()).isEqualTo(404);
        ApiClient.Reply noConfig = call("PUT", "/actions", "{\"action\":\"start\"}");
        assertThat(noConfig.status()).isEqualTo(409);
        assertThat(call("PUT", "/vm/config", "{\"cpus\":{\"count\":1,\"sockets\":2}}").body()).contains("sockets");
        ApiClient.Reply badCpus = call("PUT", "/vm/config", ConfigJson.write(guest("boot").toBuilder().cpus(300).build()));
        assertThat(badCpus.status()).isEqualTo(400);
        assertThat(json(badCpus).get("error").asText()).contains("cpus").contains("300");
        assertThat(call("PUT", "/vm/config", ConfigJson.write(guest("virtio"))).status()).isEqualTo(204);
        Path image = Files.write(dir.resolve("disk.img"), new byte[64 * 1024]);
        ApiClient.Reply missing = call("PUT", "/drives/d0", "{\"path\":\"" + dir.resolve("none.img") + "\"}");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(json(missing).get("error").asText()).contains("none.img").contains("no such file");
        assertThat(call("PUT", "/drives/d0", "{\"path\":\"" + image + "\"}").status()).isEqualTo(204);
        assertThat(call("PUT", "/network-interfaces/n0", "{\"mac\":\"zz\"}").status()).isEqualTo(400);
        JsonNode config = json(call("GET", "/vm/config", null));
        assertThat(config.get("disks")).hasSize(1);
        call("PUT", "/actions", "{\"action\":\"start\"}");
        vm.awaitStopped();
        assertThat(serial.toString(StandardCharsets.UTF_8)).contains("virtio-blk: 128 sectors").contains("virtio: 1 devices");
        assertThat(json(call("GET", "/vm", null)).get("exit_status").asInt()).isZero();
    }

    @Test
    void aHundredClientsAtOnceWhileTheGuestRunsAndOneThatHoldsItsConnection() throws Exception {
        serve(guest("spin"));
        call("PUT", "/actions", "{\"action\":\"start\"}");
        // A client that sends half a request and keeps the connection open.
        try (SocketChannel stalled = SocketChannel.open(UnixDomainSocketAddress.of(server.path()))) {
            stalled.write(ByteBuffer.wrap("GET /vm HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII)));
            ExecutorService clients = Executors.newFixedThreadPool(100);
            List<Future<Long>> calls = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                String path = i % 2 == 0 ? "/vm" : "/metrics";
                calls.add(clients.submit(() -> {
                    long t0 = System.nanoTime();
                    ApiClient.Reply r = rawGet(server.path(), path);
                    long nanos = System.nanoTime() - t0;
                    assertThat(r.status()).as(r.body()).isEqualTo(200);
                    openapi.check("GET", path, r);
                    return nanos;
                }));
            }
            List<Long> latencies = new ArrayList<>();
            for (Future<Long> f : calls) {
                latencies.add(f.get(60, TimeUnit.SECONDS));
            }
            clients.shutdown();
            Collections.sort(latencies);
            List<Long> alone = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                long t0 = System.nanoTime();
                assertThat(rawGet(server.path(), "/vm").status()).isEqualTo(200);
                alone.add(System.nanoTime() - t0);
            }
            Collections.sort(alone);
            System.out.printf("API: 1000 requests from 100 clients at once: p50 %.1f ms, p99 %.1f ms; one client alone: "
                    + "p50 %.2f ms, p99 %.2f ms (the guest spinning on one of the cores)%n", latencies.get(500) / 1e6,
                    latencies.get(989) / 1e6, alone.get(100) / 1e6, alone.get(197) / 1e6);
        }
        assertThat(state()).isEqualTo("running");
    }

    @Test
    void twoHundredLifecyclesInOneProcessLeaveNothingBehind() throws Exception {
        serve(guest("exit:0"));
        for (int i = 0; i < 3; i++) {
            lifecycle();
        }
        long fds = fdCount();
        int threads = Thread.getAllStackTraces().size();
        for (int i = 0; i < 200; i++) {
            lifecycle();
        }
        assertThat(fdCount()).as("open fds").isEqualTo(fds);
        assertThat(Thread.getAllStackTraces().keySet()).as("vCPU threads").noneMatch(t -> t.getName().startsWith("vcpu"));
        assertThat(Thread.getAllStackTraces().size()).as("threads").isLessThanOrEqualTo(threads + 2);
        assertThat(Files.readAllLines(Path.of("/proc/self/maps")).stream().filter(l -> l.contains("kvm-vcpu")).count())
                .as("kvm_run mappings").isZero();
    }

    /**
     * A GET over a plain socket, so that the latency measured is the server's and not a client's
     * start-up (ApiClient makes an event loop per request, which is right for one CLI call).
     */
    static ApiClient.Reply rawGet(Path socket, String path) throws Exception {
        try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            c.write(ByteBuffer.wrap(("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII)));
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            ByteBuffer b = ByteBuffer.allocate(8192);
            while (c.read(b) >= 0) {
                all.write(b.array(), 0, b.position());
                b.clear();
            }
            String text = all.toString(StandardCharsets.UTF_8);
            int status = Integer.parseInt(text.substring(9, 12));
            return new ApiClient.Reply(status, text.substring(text.indexOf("\r\n\r\n") + 4));
        }
    }

    private void lifecycle() throws Exception {
        assertThat(ApiClient.send(server.path(), "PUT", "/vm/config", ConfigJson.write(guest("exit:0")), 30).status())
                .isEqualTo(204);
        assertThat(ApiClient.send(server.path(), "PUT", "/actions", "{\"action\":\"start\"}", 30).status()).isEqualTo(204);
        vm.awaitStopped();
    }

    private static long fdCount() throws Exception {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }
}
