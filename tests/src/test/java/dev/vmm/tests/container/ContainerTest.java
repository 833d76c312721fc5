package dev.vmm.tests.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Device;
import dev.vmm.app.api.ApiClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.images.builder.ImageFromDockerfile;

/**
 * The VMM's container image against the real Docker engine: built here from scratch (no registry), run
 * with {@code --device /dev/kvm} and a directory bind-mounted for the API socket and the serial log;
 * the test drives the API from the host, boots the test guest, reads its serial output and stops it.
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class ContainerTest {
    private static final Path ROOT = Path.of(System.getProperty("vmm.root", "..")).toAbsolutePath().normalize();
    private static final String IMAGE = "vmm-test-image:latest";
    private static ImageFromDockerfile image;

    @TempDir static Path context;
    @TempDir Path run;

    @BeforeAll
    static void buildTheImage() throws Exception {
        assumeTrue(DockerClientFactory.instance().isDockerAvailable(),
                "no Docker engine at DOCKER_HOST or /var/run/docker.sock (.ci/setup starts dockerd)");
        ImageContext.write(ROOT, context);
        image = new ImageFromDockerfile(IMAGE, false).withFileFromPath(".", context);
    }

    @AfterAll
    static void removeTheImage() {
        if (image != null) {
            // Without Ryuk nothing removes it at exit; the next run builds it again anyway.
            DockerClientFactory.instance().client().removeImageCmd(IMAGE).withForce(true).exec();
        }
    }

    private GenericContainer<?> vmm(List<String> args) {
        return new GenericContainer<>(image)
                .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig()
                        .withDevices(devices())
                        .withBinds(Bind.parse(run + ":/run/vmm")))
                .withCommand(args.toArray(String[]::new))
                .waitingFor(Wait.forLogMessage(".*vmm: API on /run/vmm/api.sock.*", 1)
                        .withStartupTimeout(Duration.ofSeconds(60)));
    }

    private static List<Device> devices() {
        List<Device> d = new ArrayList<>(List.of(Device.parse("/dev/kvm")));
        if (Files.exists(Path.of("/dev/sev"))) {
            d.add(Device.parse("/dev/sev"));
        }
        return d;
    }

    private ApiClient.Reply api(String method, String path, String body) throws Exception {
        return ApiClient.send(run.resolve("api.sock"), method, path, body, 30);
    }

    private void awaitState(String state) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String info;
        while (!(info = api("GET", "/vm", null).body()).contains("\"state\":\"" + state + "\"")) {
            assertThat(System.nanoTime()).as(info).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    @Test
    void theImageBootsTheTestGuestDrivenThroughTheApiSocket() throws Exception {
        try (GenericContainer<?> c = vmm(List.of("run", "--api-socket", "/run/vmm/api.sock", "--serial",
                "file:/run/vmm/com1.txt", "--cpus", "2", "--fw-cfg", "name=opt/vmm/scenario,string=spin"))) {
            c.start();
            assertThat(api("GET", "/vm", null).body()).contains("\"state\":\"not_started\"");
            assertThat(api("PUT", "/actions", "{\"action\":\"start\"}").status()).isEqualTo(204);
            awaitState("running");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Files.exists(run.resolve("com1.txt")) || !Files.readString(run.resolve("com1.txt")).contains("scenario: spin")) {
                assertThat(System.nanoTime()).as("the guest's serial log").isLessThan(deadline);
                Thread.sleep(50);
            }
            assertThat(Files.readString(run.resolve("com1.txt"))).contains("vCPUs online: 2 of 2");
            assertThat(api("GET", "/metrics", null).body()).contains("\"vcpu_exits\"");
            assertThat(api("PUT", "/actions", "{\"action\":\"stop\"}").status()).isEqualTo(204);
            assertThat(api("GET", "/vm", null).body()).contains("\"state\":\"stopped\"")
                    .contains("stop action through the API");
            c.getDockerClient().stopContainerCmd(c.getContainerId()).withTimeout(10).exec();   // SIGTERM
            assertThat(c.getDockerClient().inspectContainerCmd(c.getContainerId()).exec().getState().getExitCodeLong())
                    .isEqualTo(128 + 15);
        }
        assertThat(run.resolve("api.sock")).as("the VMM removed its socket").doesNotExist();
    }

    @Test
    @Tag("snp")
    void onAnSnpHostTheSameImageLaunchesAConfidentialGuest() throws Exception {
        assumeTrue(Files.exists(Path.of("/dev/sev")), "no /dev/sev: this host has no SEV-SNP (the test runs on an SNP host)");
        try (GenericContainer<?> c = vmm(List.of("run", "--api-socket", "/run/vmm/api.sock", "--serial",
                "file:/run/vmm/com1.txt", "--confidential", "sev-snp", "--cpu-model", "EPYC-Milan", "--firmware",
                "/run/vmm/OVMF.fd", "--memory", "512M"))) {
            Files.copy(Path.of("/usr/share/ovmf/OVMF.fd"), run.resolve("OVMF.fd"));
            c.start();
            assertThat(api("PUT", "/actions", "{\"action\":\"start\"}").status()).isEqualTo(204);
            assertThat(api("GET", "/vm/measurement", null).body()).contains("\"digest\"");
            assertThat(api("PUT", "/actions", "{\"action\":\"stop\"}").status()).isEqualTo(204);
        }
    }
}
