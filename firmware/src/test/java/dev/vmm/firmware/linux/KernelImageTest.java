package dev.vmm.firmware.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The file decides: bzImage or PVH ELF, each checked field by field, bad ones named. */
class KernelImageTest {
    @Test
    void aBzImagesSetupHeaderIsRead() {
        KernelImage k = KernelImage.parse("vmlinuz", Images.bytes(Images.bzImage(27, 4096)));
        assertThat(k).isInstanceOfSatisfying(BzImage.class, bz -> {
            assertThat(bz.version()).isEqualTo(0x020f);
            assertThat(bz.setupSize()).isEqualTo(28 * 512);
            assertThat(bz.headerEnd()).isEqualTo(0x26c);
            assertThat(bz.prefAddress()).isEqualTo(0x1000000);
            assertThat(bz.kernelAlignment()).isEqualTo(0x200000);
            assertThat(bz.relocatable()).isTrue();
            assertThat(bz.cmdlineSize()).isEqualTo(2047);
            assertThat(bz.memorySize()).isEqualTo(0x800000);
            assertThat(bz.protectedModeKernel()).hasSize(4096).startsWith((byte) 0, (byte) 1);
            assertThat(bz.setupHeader()).hasSize(0x26c - 0x1f1).startsWith((byte) 27);
            assertThat(bz.setup()).hasSize(28 * 512);
        });
    }

    @Test
    void setupSectsZeroMeansFour() {
        assertThat(((BzImage) KernelImage.parse("old", Images.bytes(Images.bzImage(0, 1024)))).setupSize())
                .isEqualTo(5 * 512);
    }

    @Test
    void everyRefusalNamesTheFileAndTheField() {
        assertThatThrownBy(() -> KernelImage.parse("/etc/hosts", new byte[4096]))
                .isInstanceOf(KernelException.class)
                .hasMessageStartingWith("/etc/hosts: neither a bzImage").hasMessageContaining("nor an ELF vmlinux");
        assertThatThrownBy(() -> KernelImage.parse("k", Images.bytes(Images.bzImage(1, 512).putShort(0x206, (short) 0x020b))))
                .hasMessage("k: boot protocol 2.11; the 64-bit entry needs 2.12 or later (setup header field version)");
        assertThatThrownBy(() -> KernelImage.parse("k", Images.bytes(Images.bzImage(1, 512).putShort(0x236, (short) 0))))
                .hasMessageContaining("xloadflags 0x0 lacks XLF_KERNEL_64");
        assertThatThrownBy(() -> KernelImage.parse("k", Images.bytes(Images.bzImage(1, 512).put(0x211, (byte) 0))))
                .hasMessageContaining("lacks LOADED_HIGH");
        assertThatThrownBy(() -> KernelImage.parse("k", Images.bytes(Images.bzImage(1, 512).putInt(0x230, 3))))
                .hasMessageContaining("kernel_alignment 0x3 is not a power of two");
        assertThatThrownBy(() -> KernelImage.parse("k", Images.bytes(Images.bzImage(1, 512).put(0x201, (byte) 0x10))))
                .hasMessageContaining("the setup header ends at 0x212");
        byte[] truncated = java.util.Arrays.copyOf(Images.bytes(Images.bzImage(1, 512)), 1024);
        assertThatThrownBy(() -> KernelImage.parse("k", truncated)).hasMessageContaining("setup_sects 1")
                .hasMessageContaining("no protected-mode kernel follows");
    }

    @Test
    void anElfKernelIsEnteredThroughItsPvhNote() {
        KernelImage k = KernelImage.parse("vmlinux", Images.bytes(Images.elf(0x1000000, 8192, 0x10000, 0x1000020, true)));
        assertThat(k).isInstanceOfSatisfying(ElfKernel.class, elf -> {
            assertThat(elf.pvhEntry()).isEqualTo(0x1000020);
            assertThat(elf.segments()).containsExactly(new ElfKernel.Segment(0x1000000, elf.segments().getFirst().offset(),
                    8192, 0x10000));
            assertThat(elf.start()).isEqualTo(0x1000000);
            assertThat(elf.end()).isEqualTo(0x1010000);
        });
    }

    @Test
    void badElfFilesAreNamed() {
        assertThatThrownBy(() -> KernelImage.parse("v", Images.bytes(Images.elf(0x1000000, 64, 64, 0, false))))
                .hasMessage("v: an ELF kernel without a PVH entry note (XEN_ELFNOTE_PHYS32_ENTRY; Linux has one with "
                        + "CONFIG_PVH=y)");
        assertThatThrownBy(() -> KernelImage.parse("v", Images.bytes(Images.elf(0x1000000, 64, 64, 0, true).putShort(18, (short) 3))))
                .hasMessage("v: ELF e_machine 3, not x86-64 (62)");
        assertThatThrownBy(() -> KernelImage.parse("v", Images.bytes(Images.elf(0x1000000, 64, 32, 0, true))))
                .hasMessageContaining("p_memsz 0x20 is below p_filesz 0x40");
        assertThatThrownBy(() -> KernelImage.parse("v", Images.bytes(Images.elf(0x1000000, 64, 64, 0, true).putShort(56, (short) 900))))
                .hasMessageContaining("program headers").hasMessageContaining("do not fit in the file");
        assertThatThrownBy(() -> KernelImage.parse("v", new byte[] {0x7f, 'E', 'L', 'F', 2}))
                .hasMessage("v: 5 bytes, shorter than an ELF64 header");
    }
}
