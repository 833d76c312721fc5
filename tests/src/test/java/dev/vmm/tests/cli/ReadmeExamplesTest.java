package dev.vmm.tests.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * README's examples are run, so that they cannot drift from the program (issue 15: an id-block digest
 * went stale when the test guest changed). Every fenced block with {@code $ bin/vmm} commands is run in
 * one directory holding the files the examples name, and its output compared line by line; "..." in
 * an expected line stands for any text. A block that boots OVMF or Linux (the long group's) carries a
 * {@code <!-- not run by ReadmeExamplesTest: why -->} line before it.
 */
class ReadmeExamplesTest {
    private static final Path ROOT = Path.of(System.getProperty("vmm.root", ".."));
    private static final String NOT_RUN = "<!-- not run by ReadmeExamplesTest:";

    /** A command (continuation lines joined) and the lines README shows after it. */
    record Example(String command, List<String> expected) {}

    @Test
    void everyExampleInReadmePrintsWhatReadmeShows(@TempDir Path dir) throws Exception {
        filesTheExamplesName(dir);
        List<List<Example>> blocks = blocks(Files.readAllLines(ROOT.resolve("README.md")));
        List<Example> all = blocks.stream().flatMap(List::stream).toList();
        assertThat(all).as("examples found in README").hasSizeGreaterThanOrEqualTo(6);
        for (List<Example> block : blocks) {
            VmmProcess last = null;
            for (Example e : block) {
                List<String> actual;
                if (e.command().equals("echo $?")) {
                    actual = List.of(String.valueOf(last.status()));
                } else {
                    last = VmmProcess.runIn(dir, words(e.command().substring("bin/vmm ".length())));
                    actual = Stream.concat(last.stdout().lines(), last.stderr().lines()).toList();
                }
                assertThat(actual).as("$ %s%n%s", e.command(), String.join("\n", actual)).hasSameSizeAs(e.expected());
                for (int i = 0; i < actual.size(); i++) {
                    assertThat(actual.get(i)).as("$ %s, line %d", e.command(), i + 1).matches(pattern(e.expected().get(i)));
                }
            }
        }
    }

    /** The names README's examples use, in the directory they run in. */
    private static void filesTheExamplesName(Path dir) throws Exception {
        Files.copy(ROOT.resolve("firmware/target/classes/dev/vmm/firmware/test-guest.bin"), dir.resolve("test-guest.bin"));
        Path idblock = ROOT.resolve("vmm-sev/src/test/resources/idblock");
        Files.copy(idblock.resolve("virtee_test_id_key.pem"), dir.resolve("id.pem"));
        Files.copy(idblock.resolve("virtee_test_auth_key.pem"), dir.resolve("author.pem"));
        Files.createSymbolicLink(dir.resolve("turin"), ROOT.resolve("vmm-sev/src/test/resources/attest/turin").toAbsolutePath());
    }

    /** The checked blocks' examples, each block a list (an {@code echo $?} refers to the command before it). */
    static List<List<Example>> blocks(List<String> readme) {
        List<List<Example>> blocks = new ArrayList<>();
        for (int i = 0; i < readme.size(); i++) {
            if (!readme.get(i).startsWith("```")) {
                continue;
            }
            boolean skipped = i > 0 && readme.get(i - 1).startsWith(NOT_RUN);
            int end = i + 1;
            while (!readme.get(end).startsWith("```")) {
                end++;
            }
            List<Example> block = examples(readme.subList(i + 1, end));
            if (!skipped && !block.isEmpty()) {
                blocks.add(block);
            }
            i = end;
        }
        return blocks;
    }

    private static List<Example> examples(List<String> lines) {
        List<Example> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (!line.startsWith("$ ")) {
                continue;
            }
            StringBuilder command = new StringBuilder(line.substring(2));
            while (command.toString().endsWith("\\")) {
                command.setLength(command.length() - 1);
                command.append(' ').append(lines.get(++i).strip());
            }
            List<String> expected = new ArrayList<>();
            while (i + 1 < lines.size() && !lines.get(i + 1).startsWith("$ ")) {
                expected.add(lines.get(++i));
            }
            while (!expected.isEmpty() && expected.getLast().isBlank()) {
                expected.removeLast();
            }
            String c = command.toString().replaceAll("\\s+", " ").strip();
            if (c.startsWith("bin/vmm ") || c.equals("echo $?")) {
                out.add(new Example(c, expected));
            }
        }
        return out;
    }

    /** Shell words: blanks split, double quotes group (README's examples need no more). */
    static String[] words(String command) {
        List<String> words = new ArrayList<>();
        var m = Pattern.compile("\"([^\"]*)\"|(\\S+)").matcher(command);
        while (m.find()) {
            words.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
        return words.toArray(String[]::new);
    }

    private static String pattern(String expected) {
        return Stream.of(expected.split("\\.\\.\\.", -1)).map(Pattern::quote).collect(Collectors.joining(".*"));
    }
}
