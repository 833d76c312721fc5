package dev.vmm.tests.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a careless or hostile --kernel, --initrd or --append gets from the packaged VMM: one line that
 * names the file and the field, status 1, and no guest output (nothing ran, nothing was written).
 */
class LinuxBadInputTest {
    @TempDir
    static Path dir;
    private static Path kernel;

    @BeforeAll
    static void testKernel() throws Exception {
        try (InputStream in = LinuxBadInputTest.class.getResourceAsStream("/kernel/test-kernel.bzImage")) {
            kernel = Files.write(dir.resolve("test-kernel.bzImage"), in.readAllBytes());
        }
    }

    private static VmmProcess run(String... args) throws Exception {
        List<String> all = new ArrayList<>(List.of("run"));
        all.addAll(List.of(args));
        VmmProcess r = VmmProcess.run(all.toArray(String[]::new));
        assertThat(r.status()).as(r.stderr()).isEqualTo(1);
        assertThat(r.stderr()).hasLineCount(1).startsWith("vmm: error: ").doesNotContain("\tat ");
        assertThat(r.stdout()).isEmpty();
        return r;
    }

    @Test
    void aFileThatIsNoKernel() throws Exception {
        assertThat(run("--kernel", "pom.xml").stderr()).startsWith("vmm: error: pom.xml: neither a bzImage");
        assertThat(run("--kernel", "/nonexistent/vmlinuz").stderr())
                .isEqualTo("vmm: error: --kernel: /nonexistent/vmlinuz: no such file\n");
        assertThat(run("--kernel", dir.toString()).stderr()).contains("not a regular file");
    }

    @Test
    void anOldBootProtocol() throws Exception {
        byte[] old = Files.readAllBytes(kernel);
        ByteBuffer.wrap(old).order(ByteOrder.LITTLE_ENDIAN).putShort(0x206, (short) 0x0204);
        Path file = Files.write(dir.resolve("old.bzImage"), old);
        assertThat(run("--kernel", file.toString()).stderr()).isEqualTo("vmm: error: " + file
                + ": boot protocol 2.04; the 64-bit entry needs 2.12 or later (setup header field version)\n");
    }

    @Test
    void aCommandLineLongerThanTheKernelTakes() throws Exception {
        assertThat(run("--kernel", kernel.toString(), "--append", "x".repeat(2048)).stderr())
                .isEqualTo("vmm: error: " + kernel + ": a command line of 2048 bytes; the kernel takes at most 2047 "
                        + "(setup header cmdline_size)\n");
    }

    @Test
    void anInitrdThatDoesNotFit() throws Exception {
        Path initrd = Files.write(dir.resolve("big.initrd"), new byte[60 << 20]);
        assertThat(run("--kernel", kernel.toString(), "--initrd", initrd.toString(), "--memory", "64M").stderr())
                .startsWith("vmm: error: " + kernel + ": an initrd of 62914560 bytes does not fit between the kernel's end");
    }

    @Test
    void aKernelLargerThanRam() throws Exception {
        assertThat(run("--kernel", kernel.toString(), "--memory", "16M").stderr())
                .startsWith("vmm: error: " + kernel + ": the kernel (load address and init_size) needs RAM at 0x1000000-")
                .endsWith("; the VM's RAM below 4 GiB ends at 0x1000000\n");
    }

    @Test
    void anInitrdOrCommandLineWithoutAKernel() throws Exception {
        assertThat(run("--append", "quiet").stderr()).isEqualTo("vmm: error: --append: needs --kernel\n");
        assertThat(run("--initrd", "pom.xml").stderr()).isEqualTo("vmm: error: --initrd: needs --kernel\n");
    }
}
