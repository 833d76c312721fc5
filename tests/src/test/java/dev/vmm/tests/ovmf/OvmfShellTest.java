package dev.vmm.tests.ovmf;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmm.tests.console.ConsoleSession;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's stock OVMF booted to the UEFI shell on COM1 and driven through stdin. Long: on a host whose
 * KVM emulates every instruction, a boot takes minutes (README says how long). Run with
 * {@code bin/test -Plong -pl tests -am}.
 */
@Tag("long")
class OvmfShellTest {
    static final long BOOT_SECONDS = 1800;
    static final String PROMPT = "Shell> ";

    /** {@code vmm run ARGS} from the packaged jar, as {@code bin/vmm} runs it. */
    static ConsoleSession vmmRun(List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of(System.getProperty("vmm.java", "java"),
                "--enable-native-access=ALL-UNNAMED", "-jar", System.getProperty("vmm.jar", "../vmm/target/vmm.jar"), "run"));
        command.addAll(args);
        return new ConsoleSession(command);
    }

    /** Skips the startup.nsh countdown, then waits for the prompt. */
    static int bootToShell(ConsoleSession s) throws Exception {
        int at = s.await("startup.nsh", 0, BOOT_SECONDS);
        s.key(0x1b);
        return s.await(PROMPT, at, 120);
    }

    @Test
    void unifiedImageShellCommandsAndPowerOff() throws Exception {
        try (ConsoleSession s = vmmRun(List.of("--firmware", "/usr/share/ovmf/OVMF.fd", "--memory", "512M",
                "--cpus", "2"))) {
            int at = bootToShell(s);
            s.type("ver");
            at = s.await("UEFI Interactive Shell", at, 120);
            at = s.await(PROMPT, at, 120);
            s.type("pci");
            at = s.await(PROMPT, at, 300);
            String pci = s.output().substring(Math.max(0, at - 2000));
            assertThat(pci).contains("Vendor 8086 Device 1237").contains("Vendor 8086 Device 7000")
                    .contains("Vendor 8086 Device 7113");
            s.type("memmap");
            at = s.await(PROMPT, at, 300);
            assertThat(s.output()).contains("Available");
            s.type("reset -s");
            assertThat(s.waitFor(300)).as(s.errors()).isZero();
        }
    }

    @Test
    void aVariableSetInOneRunIsThereInTheNext(@TempDir Path dir) throws Exception {
        Path vars = Files.copy(Path.of("/usr/share/OVMF/OVMF_VARS.fd"), dir.resolve("vars.fd"));
        List<String> args = List.of("--firmware", "/usr/share/OVMF/OVMF_CODE.fd", "--firmware-vars", vars.toString(),
                "--memory", "512M");
        String guid = "3c6e2b55-7d61-4e1b-9f9c-1d2a8a3a9e01";
        try (ConsoleSession s = vmmRun(args)) {
            int at = bootToShell(s);
            s.type("setvar VmmTest -guid " + guid + " -nv -bs =4142434445");
            at = s.await(PROMPT, at, 300);
            s.type("reset -s");
            assertThat(s.waitFor(300)).as(s.errors()).isZero();
        }
        byte[] name = "VmmTest".getBytes(StandardCharsets.UTF_16LE);
        assertThat(indexOf(Files.readAllBytes(vars), name)).as("the variable's name in the store file").isPositive();
        try (ConsoleSession s = vmmRun(args)) {
            int at = bootToShell(s);
            s.type("setvar VmmTest -guid " + guid);
            at = s.await(PROMPT, at, 300);
            // The shell prints "<GUID> - VmmTest - 0005 Bytes" then the bytes in hex.
            assertThat(s.output().substring(Math.max(0, at - 400))).contains("VmmTest - 0005 Bytes")
                    .contains("41 42 43 44 45");
            s.type("reset -s");
            assertThat(s.waitFor(300)).isZero();
        }
    }

    /**
     * OVMF's VirtioBlkDxe drives the VMM's virtio-blk (BARs assigned by OVMF's PCI bus driver, polled
     * queues): the shell maps the FAT file system on it and runs the startup.nsh found there.
     */
    @Test
    void virtioBlkDxeSeesTheDiskAndTheShellRunsItsStartupNsh(@TempDir Path dir) throws Exception {
        Path image = dir.resolve("fat.img");
        Path script = Files.writeString(dir.resolve("startup.nsh"),
                "echo startup.nsh ran from the virtio disk\r\nmap -r\r\nreset -s\r\n");
        run(dir, "mkfs.vfat", "-C", image.toString(), "4096");
        run(dir, "mcopy", "-i", image.toString(), script.toString(), "::startup.nsh");
        try (ConsoleSession s = vmmRun(List.of("--firmware", "/usr/share/ovmf/OVMF.fd", "--memory", "512M", "--disk",
                "path=" + image))) {
            int at = s.await("startup.nsh ran from the virtio disk", 0, BOOT_SECONDS);
            assertThat(s.waitFor(300)).as(s.errors()).isZero();
            // The mapping of the virtio disk at 00:02.0, the first slot the device manager gives.
            assertThat(s.output().substring(at)).contains("FS0:").contains("Pci(0x2,0x0)");
        }
    }

    private static void run(Path dir, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", command) + ": " + out).isZero();
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
