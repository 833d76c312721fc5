package dev.vmm.tests.arch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The lower modules name fields, devices and calls; only the command line knows its options. A string
 * literal below vmm that spells an option ({@code --psp}, {@code --kernel}) would show a user of the
 * API or a config file a flag they never typed.
 */
class NoOptionNamesBelowTheCliTest {
    private static final List<String> LOWER = List.of("vmm-core", "vmm-memory", "vmm-devices", "firmware", "vmm-sev");
    private static final Pattern STRING = Pattern.compile("\"((?:[^\"\\\\\\n]|\\\\.)*)\"");
    private static final Pattern OPTION = Pattern.compile("(?:^|[\\s(/'`])--[a-z][a-z-]+");

    @Test
    void noStringLiteralOfALowerModuleSpellsAnOption() throws IOException {
        Path root = Path.of(System.getProperty("vmm.root", ".."));
        List<String> found = new ArrayList<>();
        for (String module : LOWER) {
            Path sources = root.resolve(module).resolve("src/main/java");
            assertThat(sources).isDirectory();
            try (Stream<Path> files = Files.walk(sources)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    List<String> lines = Files.readAllLines(f);
                    for (int i = 0; i < lines.size(); i++) {
                        String line = lines.get(i).strip();
                        if (line.startsWith("*") || line.startsWith("//") || line.startsWith("/*")) {
                            continue;       // comments may say which option a value comes from
                        }
                        Matcher s = STRING.matcher(line);
                        while (s.find()) {
                            if (OPTION.matcher(s.group(1)).find()) {
                                found.add(root.relativize(f) + ":" + (i + 1) + ": " + s.group());
                            }
                        }
                    }
                }
            }
        }
        assertThat(found).as("option names in lower modules' strings").isEmpty();
    }
}
