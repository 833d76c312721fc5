package dev.vmm.firmware.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A kernel on disk reads as the same kernel in memory, and a file that changed is an error. */
class KernelBytesTest {
    @Test
    void anElfKernelOnDiskParsesAndLoadsAsInMemory(@TempDir Path dir) throws Exception {
        byte[] elf = Images.bytes(Images.elf(0x1000000, 8192, 0x10000, 0x1000020, true));
        Path file = Files.write(dir.resolve("vmlinux"), elf);
        ElfKernel disk = (ElfKernel) KernelImage.parse(KernelBytes.onDisk("vmlinux", file));
        ElfKernel memory = (ElfKernel) KernelImage.parse("vmlinux", elf);
        assertThat(disk.segments()).isEqualTo(memory.segments());
        assertThat(disk.pvhEntry()).isEqualTo(memory.pvhEntry());
        assertThat(disk.bytes()).isEqualTo(elf);
        ElfKernel.Segment s = disk.segments().getFirst();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment guest = a.allocate(s.fileSize());
            disk.file().copyTo(s.offset(), s.fileSize(), guest);
            byte[] expected = java.util.Arrays.copyOfRange(elf, (int) s.offset(), (int) (s.offset() + s.fileSize()));
            assertThat(guest.toArray(ValueLayout.JAVA_BYTE)).isEqualTo(expected);
        }
    }

    @Test
    void aBzImageOnDiskHasTheSameHeader(@TempDir Path dir) throws Exception {
        byte[] bz = Images.bytes(Images.bzImage(27, 4096));
        Path file = Files.write(dir.resolve("vmlinuz"), bz);
        BzImage disk = (BzImage) KernelImage.parse(KernelBytes.onDisk("vmlinuz", file));
        BzImage memory = (BzImage) KernelImage.parse("vmlinuz", bz);
        assertThat(disk.setupSize()).isEqualTo(memory.setupSize());
        assertThat(disk.setupHeader()).isEqualTo(memory.setupHeader());
        assertThat(disk.protectedModeKernel()).isEqualTo(memory.protectedModeKernel()).hasSize(4096);
        assertThat(disk.memorySize()).isEqualTo(memory.memorySize());
    }

    @Test
    void aFileThatShrankSinceItWasCheckedIsAnError(@TempDir Path dir) throws Exception {
        byte[] elf = Images.bytes(Images.elf(0x1000000, 8192, 0x10000, 0x1000020, true));
        Path file = Files.write(dir.resolve("vmlinux"), elf);
        KernelBytes k = KernelBytes.onDisk("vmlinux", file);
        Files.write(file, java.util.Arrays.copyOf(elf, 100));
        try (Arena a = Arena.ofConfined()) {
            assertThatThrownBy(() -> k.copyTo(0, elf.length, a.allocate(elf.length)))
                    .isInstanceOf(KernelException.class).hasMessageContaining("vmlinux: changed since it was first read");
        }
    }

    /** Replaced by another file of the same size (a rebuild's rename): not loaded as a mix of the two. */
    @Test
    void aFileReplacedSinceItWasCheckedIsAnError(@TempDir Path dir) throws Exception {
        byte[] elf = Images.bytes(Images.elf(0x1000000, 8192, 0x10000, 0x1000020, true));
        Path file = Files.write(dir.resolve("vmlinux"), elf);
        KernelBytes k = KernelBytes.onDisk("vmlinux", file);
        Path other = Files.write(dir.resolve("vmlinux.new"), new byte[elf.length]);
        Files.move(other, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> k.read(0, 64)).isInstanceOf(KernelException.class)
                .hasMessageContaining("changed since it was first read");
    }

    @Test
    void aRangeOutsideTheFileIsAnError() {
        KernelBytes k = KernelBytes.of("k", new byte[16]);
        assertThatThrownBy(() -> k.read(8, 9)).isInstanceOf(KernelException.class).hasMessageContaining("outside its 16 bytes");
        assertThatThrownBy(() -> k.read(-1, 2)).isInstanceOf(KernelException.class);
    }

    @Test
    void aHugeNoteSegmentIsNotReadIntoTheHeap() {
        // The PT_NOTE (program header 1) claims more than MAX_NOTES bytes, within a file that has them.
        var b = Images.elf(0x1000000, ElfKernel.MAX_NOTES + 4096, ElfKernel.MAX_NOTES + 4096, 0x1000000, true);
        b.putLong(64 + 56 + 32, ElfKernel.MAX_NOTES + 1);
        assertThatThrownBy(() -> KernelImage.parse("v", Images.bytes(b))).isInstanceOf(KernelException.class)
                .hasMessageContaining("PT_NOTE 1 of " + (ElfKernel.MAX_NOTES + 1) + " bytes");
    }
}
