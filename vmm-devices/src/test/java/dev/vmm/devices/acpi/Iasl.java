package dev.vmm.devices.acpi;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * ACPICA's iasl (Debian package acpica-tools), run as a subprocess in a scratch directory. A missing
 * iasl is a test failure, not a skip: the tables would otherwise go unchecked by an independent parser.
 */
final class Iasl {
    private final Path executable;
    private final Path dir;

    private Iasl(Path executable, Path dir) {
        this.executable = executable;
        this.dir = dir;
    }

    static Iasl in(Path dir) {
        Path found = Arrays.stream(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .map(p -> Path.of(p, "iasl"))
                .filter(Files::isExecutable)
                .findFirst()
                .orElseThrow(() -> new AssertionError(
                        "iasl not found on PATH: install acpica-tools (apt-get install acpica-tools) to check the ACPI tables"));
        return new Iasl(found, dir);
    }

    /** The result of one run: its exit status and everything it printed. */
    record Run(int status, String output) {}

    /** {@code iasl -d}: disassembles {@code name}.dat holding {@code table}; returns the .dsl text. */
    String disassemble(String name, byte[] table) throws IOException, InterruptedException {
        Files.write(dir.resolve(name + ".dat"), table);
        Run run = run("-d", name + ".dat");
        Path dsl = dir.resolve(name + ".dsl");
        if (run.status() != 0 || !Files.exists(dsl) || run.output().contains("Error")
                || run.output().contains("Warning") || run.output().contains("does not contain a valid")) {
            throw new AssertionError("iasl -d " + name + ".dat failed:\n" + run.output());
        }
        return Files.readString(dsl, StandardCharsets.US_ASCII);
    }

    /** Compiles {@code name}.dsl (ASL or a data-table source) with {@code options}; returns the .aml. */
    Compiled compile(String name, String source, String... options) throws IOException, InterruptedException {
        Files.writeString(dir.resolve(name + ".dsl"), source, StandardCharsets.US_ASCII);
        List<String> args = new ArrayList<>(List.of(options));
        args.addAll(List.of("-p", name + "-out", name + ".dsl"));
        Run run = run(args.toArray(String[]::new));
        Path aml = dir.resolve(name + "-out.aml");
        if (run.status() != 0 || !run.output().contains("Compilation successful") || !Files.exists(aml)) {
            throw new AssertionError("iasl could not compile " + name + ".dsl:\n" + run.output());
        }
        return new Compiled(Files.readAllBytes(aml), run.output());
    }

    /** A compiled table and iasl's messages. */
    record Compiled(byte[] aml, String output) {}

    private Run run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("iasl " + String.join(" ", args) + " did not finish");
        }
        return new Run(p.exitValue(), output);
    }
}
