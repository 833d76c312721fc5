package dev.vmm.tests.linux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmm.tests.console.ConsoleSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's own 6.12 cloud kernel, the real client of the Linux loader, booted by the packaged VMM to the
 * test initramfs's /init, which reports the CPUs and powers off. Long: the kernel runs about 1.2 billion
 * instructions to /init, minutes where KVM emulates them. The kernel is fetched by
 * tests/fixtures/debian-kernel (apt-get download from bookworm-backports), never committed.
 *
 * <p>On a software KVM (this development host's kvm_pvm) the command line gets {@link SoftwareKvmCmdline}'s
 * parameters; the int3 and ud2 of the kernel's self-tests, its POPCNTs and CLAC/STAC are completed by
 * the emulation assist.
 */
@Tag("long")
class DebianKernelBootTest {
    static final long BOOT_SECONDS = 3600;
    private static Path linux;

    @BeforeAll
    static void fetchTheKernel() throws Exception {
        Path root = Path.of(System.getProperty("vmm.root", ".."));
        Process p = new ProcessBuilder(root.resolve("tests/fixtures/debian-kernel").toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        linux = Path.of(out.strip().lines().reduce((a, b) -> b).orElseThrow());
    }

    private static ConsoleSession vmm(List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(System.getProperty("vmm.java", "java"),
                "--enable-native-access=ALL-UNNAMED", "-jar", System.getProperty("vmm.jar", "../vmm/target/vmm.jar"),
                "run"));
        command.addAll(args);
        return new ConsoleSession(command);
    }

    private static Path initramfs(Path dir) throws Exception {
        return Files.write(dir.resolve("initramfs.cpio"), Initramfs.withTestInit().toBytes());
    }

    @Test
    void thePvhEntryOfTheExtractedVmlinuxBringsUpTwoCpusAndPowersOff(@TempDir Path dir) throws Exception {
        try (ConsoleSession s = vmm(List.of("--kernel", linux.resolve("vmlinux").toString(), "--initrd",
                initramfs(dir).toString(), "--append", SoftwareKvmCmdline.forThisHost("console=ttyS0"), "--cpus", "2", "--memory", "512M"))) {
            int at = s.await("Linux version 6.12", 0, BOOT_SECONDS);
            at = s.await("init: hello from the test initramfs", at, BOOT_SECONDS);
            s.await("init: 2 CPUs online", at, 600);
            assertThat(s.waitFor(600)).as(s.errors()).isZero();
            assertThat(s.output()).contains("smpboot: Total of 2 processors activated")
                    .contains("ACPI: PM: Preparing to enter system sleep state S5");
        }
    }
}
