package dev.vmm.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputFileTest {
    private static final Path NAME = Path.of("kernel");

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    /** Several chunks' worth, read whole and unchanged. */
    @Test
    void aFileLargerThanOneReadComesBackWhole(@TempDir Path dir) throws Exception {
        byte[] content = random(3 * (1 << 20) + 12345);
        Path f = Files.write(dir.resolve("vmlinux"), content);
        assertThat(InputFile.read(f, 1L << 30, "")).isEqualTo(content);
        assertThat(InputFile.read(Files.write(dir.resolve("empty"), new byte[0]), 10, "")).isEmpty();
    }

    @Test
    void aFileThatShrankIsWhatIsLeft() throws Exception {
        byte[] content = random(1000);
        assertThat(InputFile.readBounded(NAME, new ByteArrayInputStream(content), 4000, 10_000)).isEqualTo(content);
    }

    @Test
    void aFileThatGrewWithinTheLimitIsReadToItsEnd() throws Exception {
        byte[] content = random(5000);
        assertThat(InputFile.readBounded(NAME, new ByteArrayInputStream(content), 1000, 10_000)).isEqualTo(content);
    }

    @Test
    void aFileThatGrewBeyondTheLimitIsRefused() {
        assertThatThrownBy(() -> InputFile.readBounded(NAME, new ByteArrayInputStream(random(5000)), 1000, 4999))
                .isInstanceOf(InputFileException.class).hasMessage("kernel: grew beyond 4999 bytes while it was read");
        assertThatThrownBy(() -> InputFile.readBounded(NAME, new ByteArrayInputStream(random(101)), 100, 100))
                .isInstanceOf(InputFileException.class).hasMessage("kernel: grew beyond 100 bytes while it was read");
    }
}
