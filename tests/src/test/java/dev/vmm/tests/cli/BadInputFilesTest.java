package dev.vmm.tests.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every option that takes a file, given what a careless or hostile user gives: /dev/zero, a FIFO
 * nobody writes, a directory, a 1 GiB sparse file. Each is one "vmm: error:" line naming the file, a
 * non-zero status within seconds (a FIFO is never opened, /dev/zero never read), no stack trace.
 */
class BadInputFilesTest {
    @TempDir static Path dir;
    static Path fifo;
    static Path sparse;

    @BeforeAll
    static void files() throws Exception {
        fifo = dir.resolve("fifo");
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertThat(p.waitFor()).isZero();
        sparse = dir.resolve("sparse.bin");
        try (RandomAccessFile f = new RandomAccessFile(sparse.toFile(), "rw")) {
            f.setLength(1L << 30);
        }
    }

    /** The command with FILE where the bad file goes. */
    static final List<String> COMMANDS = List.of(
            "run --firmware FILE",
            "run --kernel FILE",
            "run --kernel KERNEL --initrd FILE",
            "run --fw-cfg name=opt/x,file=FILE",
            "run --disk path=FILE",
            "measure --mode sev --firmware FILE",
            "attestation show --report FILE",
            "id-block --id-key FILE --digest " + "00".repeat(48) + " --family-id " + "00".repeat(16) + " --image-id "
                    + "00".repeat(16) + " --policy 0x30000 --out-block OUT/b --out-auth OUT/a",
            "platform status --psp simulated --state FILE");

    static Stream<Arguments> commandsAndFiles() {
        List<Arguments> all = new ArrayList<>();
        for (String c : COMMANDS) {
            for (String kind : List.of("/dev/zero", "fifo", "directory", "sparse")) {
                // A sparse 1 GiB disk image or initrd is fine input, not a bad one.
                if (!(kind.equals("sparse") && (c.contains("--disk") || c.contains("--initrd")))) {
                    all.add(Arguments.of(c, kind));
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} with {1}")
    @MethodSource("commandsAndFiles")
    void oneLineNamingTheFile(String command, String kind) throws Exception {
        Path file = switch (kind) {
            case "/dev/zero" -> Path.of("/dev/zero");
            case "fifo" -> fifo;
            case "directory" -> dir;
            default -> sparse;
        };
        Path out = Files.createTempDirectory(dir, "out");
        // Any regular file will do as the kernel: the initrd is read (and refused) before the kernel is parsed.
        String kernel = Path.of("pom.xml").toAbsolutePath().toString();
        String[] args = command.replace("OUT", out.toString()).replace("KERNEL", kernel).replace("FILE", file.toString())
                .split(" ");
        long t0 = System.nanoTime();
        VmmProcess r = VmmProcess.run(args);
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(r.status()).as(r.stderr()).isNotZero();
        assertThat(r.stderr().lines().toList()).as(r.stderr()).hasSize(1);
        assertThat(r.stderr()).startsWith("vmm: error: ").contains(file.toString()).doesNotContain("Exception");
        assertThat(seconds).as("seconds to the error").isLessThan(20);
        try (var files = Files.list(out)) {
            assertThat(files.toList()).as("nothing written").isEmpty();
        }
    }
}
