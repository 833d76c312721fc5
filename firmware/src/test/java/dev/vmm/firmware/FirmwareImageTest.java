package dev.vmm.firmware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmm.memory.GuestAddress;
import dev.vmm.memory.GuestMemory;
import dev.vmm.memory.GuestMemoryBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FirmwareImageTest {
    @Test
    void theTestGuestEndsAt4GiBWithAResetVector() {
        FirmwareImage guest = FirmwareImage.testGuest();
        assertThat(guest.size()).isEqualTo(64 * 1024);
        assertThat(guest.gpa()).isEqualTo(0xffff0000L);
        byte[] b = guest.bytes();
        // cli; jmp rel16 at 0xFFFFFFF0, as guest.ld and boot.S place them.
        assertThat(b[b.length - 16]).isEqualTo((byte) 0xfa);
        assertThat(b[b.length - 15]).isEqualTo((byte) 0xe9);
    }

    @Test
    void loadsIntoItsReadOnlyRegion() {
        FirmwareImage guest = FirmwareImage.testGuest();
        GuestMemoryBuilder builder = new GuestMemoryBuilder();
        guest.addTo(builder);
        try (GuestMemory memory = builder.build()) {
            guest.loadInto(memory);
            assertThat(memory.readByte(GuestAddress.of(0xfffffff0L))).isEqualTo((byte) 0xfa);
            assertThat(memory.findRegion(GuestAddress.of(0xfffffff0L)).kind()).isEqualTo(dev.vmm.memory.RegionKind.ROM);
        }
    }

    @Test
    void badImagesAreNamedWithTheProblem(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> FirmwareImage.read(dir.resolve("none.fd")))
                .isInstanceOf(FirmwareException.class).hasMessage(dir.resolve("none.fd") + ": no such firmware file");
        Path odd = Files.write(dir.resolve("odd.fd"), new byte[1000]);
        assertThatThrownBy(() -> FirmwareImage.read(odd)).hasMessageContaining("odd.fd: size 1000 bytes");
        Path empty = Files.write(dir.resolve("empty.fd"), new byte[0]);
        assertThatThrownBy(() -> FirmwareImage.read(empty)).hasMessageContaining("non-zero multiple of 4 KiB");
        assertThatThrownBy(() -> FirmwareImage.read(dir)).hasMessage(dir + ": a directory, not a regular firmware file");
        assertThatThrownBy(() -> FirmwareImage.read(Path.of("/dev/zero")))
                .hasMessage("/dev/zero: a device, FIFO or socket, not a regular firmware file");
        Path sparse = dir.resolve("sparse.fd");
        try (var f = new java.io.RandomAccessFile(sparse.toFile(), "rw")) {
            f.setLength(1L << 30);
        }
        assertThatThrownBy(() -> FirmwareImage.read(sparse)).as("refused before it is read")
                .hasMessage(sparse + ": 1073741824 bytes; a firmware file is at most 16777216 bytes");
        assertThatThrownBy(() -> FirmwareImage.of("big", new byte[32 << 20])).hasMessageContaining("at most 16 MiB");
    }
}
