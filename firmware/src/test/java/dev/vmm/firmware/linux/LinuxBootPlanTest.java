package dev.vmm.firmware.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmm.memory.RamLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where a direct boot puts every byte, and the inputs that cannot fit. */
class LinuxBootPlanTest {
    private static final RamLayout RAM = RamLayout.forSize(256L << 20);
    private static final LinuxBootPlan.AcpiTables NO_ACPI = new LinuxBootPlan.AcpiTables(List.of(), 0);

    private static GuestBlob blob(LinuxBootPlan p, String what) {
        return p.blobs().stream().filter(b -> b.what().equals(what)).findFirst().orElseThrow();
    }

    @Test
    void aBzImageGoesToPrefAddressWithTheZeroPageAndInitrdHigh() {
        BzImage k = BzImage.parse("k", Images.bytes(Images.bzImage(4, 65536)));
        byte[] initrd = new byte[10_000];
        LinuxBootPlan p = LinuxBootPlan.plan(k, initrd, "console=ttyS0", RAM,
                new LinuxBootPlan.AcpiTables(List.of(new GuestBlob("rsdp", 0xe0000, new byte[20])), 0xe0000));
        assertThat(p.entry()).isEqualTo(new LinuxBootPlan.Entry.LongMode(0x1000200, 0x7000, 0x9000, 0x500));
        assertThat(blob(p, "kernel").address()).isEqualTo(0x1000000);
        long initrdAt = (RAM.lowRamSize() - initrd.length) & -4096L;
        assertThat(blob(p, "initrd").address()).isEqualTo(initrdAt);
        assertThat(new String(blob(p, "command line").bytes(), StandardCharsets.US_ASCII)).isEqualTo("console=ttyS0\0");

        ByteBuffer zp = ByteBuffer.wrap(blob(p, "zero page").bytes()).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(zp.capacity()).isEqualTo(4096);
        assertThat(zp.getInt(0x202)).as("the setup header copied in").isEqualTo(0x53726448);
        assertThat(zp.get(0x210) & 0xff).as("type_of_loader").isEqualTo(0xff);
        assertThat(zp.getInt(0x228)).as("cmd_line_ptr").isEqualTo(0x20000);
        assertThat(zp.getInt(0x218)).as("ramdisk_image").isEqualTo((int) initrdAt);
        assertThat(zp.getInt(0x21c)).as("ramdisk_size").isEqualTo(10_000);
        assertThat(zp.getLong(0x070)).as("acpi_rsdp_addr").isEqualTo(0xe0000);
        assertThat(zp.get(0x1e8)).as("e820_entries").isEqualTo((byte) p.memoryMap().entries().size());
        assertThat(zp.getLong(0x2d0 + 20 * 2)).as("e820[2].addr: RAM from 1 MiB").isEqualTo(0x100000);
        assertThat(zp.getInt(0x2d0 + 20 * 2 + 16)).isEqualTo(MemoryMap.RAM);
        assertThat(zp.get(0x1ef)).as("sentinel stays 0: the loader took only the header").isZero();
    }

    @Test
    void thePageTablesIdentityMapFourGibAndTheGdtHasTheBootSelectors() {
        LinuxBootPlan p = LinuxBootPlan.plan(BzImage.parse("k", Images.bytes(Images.bzImage(1, 512))), new byte[0], null,
                RAM, NO_ACPI);
        ByteBuffer t = ByteBuffer.wrap(blob(p, "page tables").bytes()).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(t.getLong(0)).isEqualTo(0xa000 | 3);
        assertThat(t.getLong(4096 + 3 * 8)).isEqualTo(0xe000 | 3);
        assertThat(t.getLong(5 * 4096 + 511 * 8)).as("the last 2 MiB page below 4 GiB").isEqualTo(0xffe00000L | 0x83);
        ByteBuffer g = ByteBuffer.wrap(blob(p, "GDT").bytes()).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(g.getLong(0x10)).as("__BOOT_CS: 64-bit code").isEqualTo(0x00af9b000000ffffL);
        assertThat(g.getLong(0x18)).as("__BOOT_DS").isEqualTo(0x00cf93000000ffffL);
    }

    @Test
    void anElfKernelGetsAStartInfoWithItsInitrdAndMemoryMap() {
        ElfKernel k = ElfKernel.parse("vmlinux", Images.bytes(Images.elf(0x1000000, 4096, 0x200000, 0x1000040, true)));
        LinuxBootPlan p = LinuxBootPlan.plan(k, new byte[8192], "quiet", RAM, new LinuxBootPlan.AcpiTables(List.of(), 0xe0000));
        assertThat(p.entry()).isEqualTo(new LinuxBootPlan.Entry.Pvh(0x1000040, 0x6000, 0x500));
        GuestBlob segment = blob(p, "kernel segment");
        assertThat(segment.bytes()).hasSize(4096);
        assertThat(segment.size()).as("the bss is zeroed, not carried").isEqualTo(0x200000);
        ByteBuffer si = ByteBuffer.wrap(blob(p, "PVH start info").bytes()).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(si.getInt(0)).isEqualTo(HvmStartInfo.MAGIC);
        assertThat(si.getInt(4)).isEqualTo(1);
        assertThat(si.getInt(12)).as("nr_modules").isEqualTo(1);
        assertThat(si.getLong(16)).as("modlist_paddr").isEqualTo(0x6040);
        assertThat(si.getLong(24)).as("cmdline_paddr").isEqualTo(0x20000);
        assertThat(si.getLong(32)).as("rsdp_paddr").isEqualTo(0xe0000);
        assertThat(si.getLong(40)).as("memmap_paddr").isEqualTo(0x6080);
        assertThat(si.getInt(48)).as("memmap_entries").isEqualTo(p.memoryMap().entries().size());
        assertThat(si.getLong(0x40)).as("module 0: the initrd").isEqualTo(blob(p, "initrd").address());
        assertThat(si.getLong(0x48)).isEqualTo(8192);
        assertThat(si.getLong(0x80 + 24 * 2)).as("memmap[2].addr").isEqualTo(0x100000);
    }

    @Test
    void inputsThatCannotFitAreRefusedWithTheirField() {
        BzImage k = BzImage.parse("vmlinuz", Images.bytes(Images.bzImage(1, 512)));
        assertThatThrownBy(() -> LinuxBootPlan.plan(k, new byte[0], "x".repeat(2048), RAM, NO_ACPI))
                .hasMessage("vmlinuz: a command line of 2048 bytes; the kernel takes at most 2047 (setup header cmdline_size)");
        assertThatThrownBy(() -> LinuxBootPlan.plan(k, new byte[0], "a\0b", RAM, NO_ACPI)).hasMessageContaining("NUL");
        RamLayout small = RamLayout.forSize(16L << 20);
        assertThatThrownBy(() -> LinuxBootPlan.plan(k, new byte[0], null, small, NO_ACPI))
                .hasMessage("vmlinuz: the kernel (load address and init_size) needs RAM at 0x1000000-0x1800000; the VM's "
                        + "RAM below 4 GiB ends at 0x1000000");
        RamLayout tight = RamLayout.forSize(32L << 20);
        assertThatThrownBy(() -> LinuxBootPlan.plan(k, new byte[(9 << 20)], null, tight, NO_ACPI))
                .hasMessage("vmlinuz: an initrd of 9437184 bytes does not fit between the kernel's end 0x1800000 and "
                        + "0x2000000 (initrd_addr_max or the end of RAM below 4 GiB)");
        ByteBuffer lowMax = Images.bzImage(1, 512).putInt(0x22c, 0x17fffff);
        assertThatThrownBy(() -> LinuxBootPlan.plan(BzImage.parse("k2", lowMax.array()), new byte[4096], null, RAM, NO_ACPI))
                .hasMessageContaining("and 0x1800000 (initrd_addr_max");
        ElfKernel high = ElfKernel.parse("v", Images.bytes(Images.elf(0x40000000, 64, 64, 0x40000000, true)));
        assertThatThrownBy(() -> LinuxBootPlan.plan(high, new byte[0], null, RAM, NO_ACPI))
                .hasMessageContaining("PT_LOAD segment at p_paddr 0x40000000 needs RAM at 0x40000000-0x40000040");
    }
}
