package dev.vmm.app.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.PrintWriter;
import java.io.RandomAccessFile;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import picocli.CommandLine;

/**
 * Random files of random sizes (empty, small, at and beyond each format's limit, regular or sparse),
 * FIFOs, directories and /dev/zero, given to every option that takes a file (issue 15). Whatever the
 * file, the command ends within seconds without a stack trace, and a failure is one "vmm: error:"
 * line naming the file with nothing written. In process, for speed; BadInputFilesTest runs the fixed
 * cases through the packaged VMM.
 */
class RandomInputFilesProperties {
    /**
     * FILE is where the random file goes; OUT a fresh directory. A run's serial port goes to a file:
     * with stdio it would read this JVM's stdin, which is surefire's command channel.
     */
    static final List<String> COMMANDS = List.of(
            "run --kernel FILE --serial file:SERIAL",
            "run --kernel KERNEL --initrd FILE --serial file:SERIAL",
            "run --fw-cfg name=opt/x,file=FILE --serial file:SERIAL",
            "run --disk path=FILE --serial file:SERIAL",
            "measure --mode sev --firmware FILE",
            "measure --mode snp --cpu-model EPYC-Milan --firmware FILE",
            "measure --mode sev --firmware /usr/share/ovmf/OVMF.fd --kernel FILE",
            "attestation show --report FILE",
            "attestation verify --report FILE --vcek FILE",
            "id-block --id-key FILE --digest " + "00".repeat(48) + " --family-id " + "00".repeat(16) + " --image-id "
                    + "00".repeat(16) + " --policy 0x30000 --out-block OUT/b --out-auth OUT/a",
            "id-block --firmware FILE --mode snp --cpu-model EPYC-Milan --id-key FILE --family-id " + "00".repeat(16)
                    + " --image-id " + "00".repeat(16) + " --policy 0x30000 --out-block OUT/b --out-auth OUT/a",
            "platform status --psp simulated --state FILE",
            "platform vlek-load --psp simulated --state STATE --wrapped FILE");

    enum Kind { REGULAR, SPARSE, FIFO, DIRECTORY, DEV_ZERO }

    record Input(Kind kind, long size, long seed) {}

    @Provide
    Arbitrary<Input> inputs() {
        // Sizes around the limits: 1 MiB (small files), 16 MiB (firmware, fw_cfg), and far beyond.
        Arbitrary<Long> sizes = Arbitraries.oneOf(Arbitraries.longs().between(0, 9000),
                Arbitraries.of((1L << 20) - 1, 1L << 20, (1L << 20) + 1, 16L << 20, (16L << 20) + 1, 1L << 30, 3L << 30));
        return Combinators.combine(Arbitraries.of(Kind.class), sizes, Arbitraries.longs()).as(Input::new);
    }

    @Property(tries = 120)
    void anyFileIsAnswered(@ForAll("commands") String command, @ForAll("inputs") Input input) throws Exception {
        Path dir = Files.createTempDirectory("vmm-random-files");
        try {
            Path file = file(dir, input);
            Path out = Files.createDirectory(dir.resolve("out"));
            // A regular file as the kernel beside the initrd: an initrd that passes leaves the kernel's error.
            String kernel = Path.of("pom.xml").toAbsolutePath().toString();
            String[] args = command.replace("OUT", out.toString()).replace("STATE", dir.resolve("state").toString())
                    .replace("SERIAL", dir.resolve("serial.txt").toString())
                    .replace("KERNEL", kernel).replace("FILE", file.toString()).split(" ");
            StringWriter err = new StringWriter();
            StringWriter stdout = new StringWriter();
            int status = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
                CommandLine cli = VmmCommand.commandLine();
                cli.setOut(new PrintWriter(stdout, true));
                cli.setErr(new PrintWriter(err, true));
                return cli.execute(args);
            }, () -> "no answer within 30 s: " + String.join(" ", args));
            String text = err.toString();
            assertThat(text).as(text).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("internal error");
            if (input.kind() != Kind.REGULAR && input.kind() != Kind.SPARSE) {
                assertThat(status).as(text).isNotZero();
            }
            if (status == 2 && command.startsWith("attestation verify")) {
                // Not a usage error: the checks ran, and the table says which failed and why.
                assertThat(stdout.toString()).contains("FAIL ").contains(file.toString());
            } else if (status != 0) {
                assertThat(text.lines().toList()).as(text).hasSize(1).first().asString()
                        .startsWith("vmm: error: ").containsAnyOf(Stream.of(args).filter(a -> a.contains("/"))
                                .map(a -> a.substring(a.lastIndexOf('=') + 1)).toArray(String[]::new));
                try (Stream<Path> written = Files.list(out)) {
                    assertThat(written.toList()).as("nothing written").isEmpty();
                }
            }
        } finally {
            try (Stream<Path> all = Files.walk(dir)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Provide
    Arbitrary<String> commands() {
        return Arbitraries.of(COMMANDS);
    }

    private static Path file(Path dir, Input input) throws Exception {
        return switch (input.kind()) {
            case DEV_ZERO -> Path.of("/dev/zero");
            case DIRECTORY -> Files.createDirectory(dir.resolve("a-directory"));
            case FIFO -> {
                Path fifo = dir.resolve("fifo");
                assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor()).isZero();
                yield fifo;
            }
            case SPARSE -> {
                Path f = dir.resolve("sparse.bin");
                try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
                    raf.setLength(input.size());
                }
                yield f;
            }
            case REGULAR -> {
                byte[] bytes = new byte[(int) Math.min(input.size(), 1 << 20)];
                new Random(input.seed()).nextBytes(bytes);
                yield Files.write(dir.resolve("random.bin"), bytes);
            }
        };
    }
}
