package dev.vmm.tests.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmm.tests.console.ConsoleSession;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A write the guest flushed is in the image whatever happens to the VMM after the flush was
 * acknowledged: the test guest writes sector 1, flushes, reports it, and spins; the VMM is then
 * killed with SIGKILL, and the image is read.
 */
class DiskDurabilityTest {
    @Test
    void aFlushAcknowledgedWriteSurvivesKillNine(@TempDir Path dir) throws Exception {
        Path image = Files.write(dir.resolve("disk.img"), new byte[64 * 1024]);
        try (ConsoleSession s = new ConsoleSession(List.of(System.getProperty("vmm.java", "java"),
                "--enable-native-access=ALL-UNNAMED", "-jar", System.getProperty("vmm.jar", "../vmm/target/vmm.jar"), "run",
                "--disk", "path=" + image, "--fw-cfg", "name=opt/vmm/scenario,string=virtio-spin"))) {
            int at = s.await("virtio-blk: wrote sector 1, flushed", 0, 60);
            s.await("spinning", at, 60);
            assertThat(s.kill()).as("killed by SIGKILL").isEqualTo(128 + 9);
        }
        byte[] sector1 = Arrays.copyOfRange(Files.readAllBytes(image), 512, 1024);
        assertThat(new String(sector1, StandardCharsets.US_ASCII)).startsWith("written by the vmm test guest\0");
    }
}
