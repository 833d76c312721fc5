package dev.vmm.tests.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code run --api-socket} and {@code --config} through the packaged VMM, driven by {@code vmm api}: the
 * VM waits for start without a config and boots at once with one, the file and the options merge, and
 * SIGTERM ends the VMM (128 + 15) and removes the socket.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class ApiCliTest {
    @TempDir Path dir;

    private Process serve(String... args) throws Exception {
        Process p = VmmProcess.start(args);
        Path socket = dir.resolve("api.sock");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(socket)) {
            assertThat(p.isAlive()).as("the VMM is still running").isTrue();
            assertThat(System.nanoTime()).as("the socket appears").isLessThan(deadline);
            Thread.sleep(20);
        }
        return p;
    }

    private VmmProcess api(String... args) throws Exception {
        String[] all = new String[args.length + 3];
        all[0] = "api";
        all[1] = "--socket";
        all[2] = dir.resolve("api.sock").toString();
        System.arraycopy(args, 0, all, 3, args.length);
        return VmmProcess.run(all);
    }

    private static VmmProcess stop(Process p) throws Exception {
        p.toHandle().destroy();                        // SIGTERM (Process.destroy would close its pipes too)
        return VmmProcess.finish(p);
    }

    @Test
    void withoutAConfigTheVmWaitsForStartAndSigtermEndsTheVmm() throws Exception {
        Process p = serve("run", "--api-socket", dir.resolve("api.sock").toString(), "--serial", "none", "--fw-cfg",
                "name=opt/vmm/scenario,string=spin");
        assertThat(api("info").stdout()).contains("\"state\":\"not_started\"");
        VmmProcess start = api("start");
        assertThat(start.status()).as(start.stderr()).isZero();
        assertThat(api("info").stdout()).contains("\"state\":\"running\"");
        VmmProcess again = api("start");
        assertThat(again.status()).isEqualTo(1);
        assertThat(again.stderr()).startsWith("vmm: error: PUT /actions: 409: start: the VM is running").hasLineCount(1);
        assertThat(api("metrics").stdout()).contains("\"vcpu_exits\"");
        VmmProcess end = stop(p);
        assertThat(end.status()).as(end.stderr()).isEqualTo(128 + 15);
        assertThat(dir.resolve("api.sock")).doesNotExist();
    }

    @Test
    void withAConfigItBootsAtOnceAndOptionsReplaceTheFilesValues() throws Exception {
        Path config = Files.writeString(dir.resolve("vm.json"), """
                {"cpus": {"count": 2}, "memory": {"size": 33554432},
                 "serial": "file:%s",
                 "fw_cfg": [{"name": "opt/vmm/scenario", "string": "exit:5"}]}
                """.formatted(dir.resolve("com1.txt")));
        Process p = serve("run", "--config", config.toString(), "--cpus", "3", "--api-socket",
                dir.resolve("api.sock").toString());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        String info;
        while (!(info = api("info").stdout()).contains("\"stopped\"")) {
            assertThat(System.nanoTime()).as(info).isLessThan(deadline);
            Thread.sleep(50);
        }
        assertThat(info).contains("\"exit_status\":5").contains("\"count\":3").contains("\"size\":33554432");
        assertThat(Files.readString(dir.resolve("com1.txt"))).contains("vCPUs online: 3 of 3");
        assertThat(stop(p).status()).isEqualTo(143);
    }

    @Test
    void aConfigFileAloneRunsTheVmAsOptionsWould() throws Exception {
        Path config = Files.writeString(dir.resolve("vm.json"), """
                {"fw_cfg": [{"name": "opt/vmm/scenario", "string": "exit:9"}], "serial": "none"}
                """);
        assertThat(VmmProcess.run("run", "--config", config.toString()).status()).isEqualTo(9);
        Files.writeString(config, "{\"cpus\": {\"count\": 1, \"sockets\": 2}}");
        VmmProcess bad = VmmProcess.run("run", "--config", config.toString());
        assertThat(bad.status()).isEqualTo(1);
        assertThat(bad.stderr()).startsWith("vmm: error:").contains("cpus.sockets").hasLineCount(1);
    }

    @Test
    void theClientSaysWhenNoVmmListens() throws Exception {
        VmmProcess r = api("info");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.stderr()).startsWith("vmm: error: --socket: " + dir.resolve("api.sock")).hasLineCount(1);
    }
}
