package dev.vmm.firmware.linux;

import dev.vmm.memory.RamLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Where every byte of a direct kernel boot goes, decided without a VM: the kernel (a bzImage's
 * protected-mode part at its load address, or an ELF's segments at their physical addresses), the
 * initrd as high as the kernel allows, the command line, the zero page or PVH start info, the page
 * tables and GDT of the entry, the ACPI tables, and the memory map the kernel is told. Any input that
 * cannot fit is a {@link KernelException} naming the file and the field, before anything is written.
 */
public record LinuxBootPlan(KernelImage kernel, List<GuestBlob> blobs, MemoryMap memoryMap, Entry entry) {
    /** How the BSP starts. */
    public sealed interface Entry {
        /** The 64-bit boot protocol: long mode on {@code cr3}'s identity map, RSI = the zero page. */
        record LongMode(long rip, long rsi, long cr3, long gdt) implements Entry {}

        /** PVH: 32-bit protected mode without paging, EBX = the start info. */
        record Pvh(long rip, long rbx, long gdt) implements Entry {}
    }

    /** The ACPI tables placed in the BIOS area, and where the RSDP is. */
    public record AcpiTables(List<GuestBlob> blobs, long rsdp) {}

    private static final long PAGE = 4096;
    /** The reserved pages below 4 GiB KVM uses for the EPT identity map and the real-mode TSS. */
    private static final long KVM_PAGES = 0xfeffc000L;
    private static final long KVM_PAGES_SIZE = 4 * PAGE;
    /** GDT entries: null, null, __BOOT_CS (0x10), __BOOT_DS (0x18), a TSS (0x20). */
    public static final int BOOT_CS = 0x10;
    public static final int BOOT_DS = 0x18;
    public static final int BOOT_TSS = 0x20;

    public static LinuxBootPlan plan(KernelImage kernel, byte[] initrd, String cmdline, RamLayout ram, AcpiTables acpi) {
        return plan(kernel, KernelBytes.of("initrd", initrd), cmdline, ram, acpi);
    }

    /** As above, with the initrd read by range (from disk for a direct boot, into guest RAM at load). */
    public static LinuxBootPlan plan(KernelImage kernel, KernelBytes initrd, String cmdline, RamLayout ram,
                                     AcpiTables acpi) {
        MemoryMap map = memoryMap(ram);
        long lowEnd = ram.lowRamSize();
        byte[] line = commandLine(kernel, cmdline);
        for (GuestBlob b : acpi.blobs()) {
            if (b.address() < LinuxLayout.ACPI_BASE || b.end() > LinuxLayout.HIGH_MEMORY) {
                throw new IllegalArgumentException(b.what() + " at 0x" + Long.toHexString(b.address())
                        + " is outside the BIOS area 0xE0000-0xFFFFF");
            }
        }
        List<GuestBlob> blobs = new ArrayList<>(acpi.blobs());
        blobs.add(new GuestBlob("command line", LinuxLayout.CMDLINE, line));
        Entry entry;
        long kernelEnd;
        long initrdMax;
        switch (kernel) {
            case BzImage bz -> {
                long load = loadAddress(bz);
                kernelEnd = load + bz.memorySize();
                requireRam(bz.source(), "the kernel (load address and init_size)", load, kernelEnd, lowEnd);
                blobs.add(new GuestBlob("kernel", load, bz.file(), bz.setupSize(), bz.protectedModeSize(),
                        bz.protectedModeSize()));
                initrdMax = Math.min(bz.initrdAddrMax(), lowEnd - 1);
                entry = new Entry.LongMode(load + BzImage.ENTRY_64, LinuxLayout.ZERO_PAGE, LinuxLayout.PAGE_TABLES,
                        LinuxLayout.GDT);
                blobs.add(new GuestBlob("page tables", LinuxLayout.PAGE_TABLES, BootPageTables.build(LinuxLayout.PAGE_TABLES)));
                blobs.add(new GuestBlob("GDT", LinuxLayout.GDT, gdt(true)));
            }
            case ElfKernel elf -> {
                kernelEnd = elf.end();
                for (ElfKernel.Segment s : elf.segments()) {
                    requireRam(elf.source(), "PT_LOAD segment at p_paddr 0x" + Long.toHexString(s.physical()),
                            s.physical(), s.end(), lowEnd);
                    blobs.add(new GuestBlob("kernel segment", s.physical(), elf.file(), s.offset(), s.fileSize(),
                            s.memorySize()));
                }
                initrdMax = lowEnd - 1;
                entry = new Entry.Pvh(elf.pvhEntry(), LinuxLayout.START_INFO, LinuxLayout.GDT);
                blobs.add(new GuestBlob("GDT", LinuxLayout.GDT, gdt(false)));
            }
        }
        long initrdAt = 0;
        long initrdSize = initrd.size();
        if (initrdSize > 0) {
            initrdAt = (initrdMax + 1 - initrdSize) & -PAGE;
            if (initrdMax + 1 < initrdSize || initrdAt < kernelEnd) {
                throw new KernelException(String.format("%s: an initrd of %d bytes does not fit between the kernel's "
                        + "end 0x%x and 0x%x (initrd_addr_max or the end of RAM below 4 GiB)", kernel.source(),
                        initrdSize, kernelEnd, initrdMax + 1));
            }
            blobs.add(new GuestBlob("initrd", initrdAt, initrd, 0, initrdSize, initrdSize));
        }
        long rsdp = acpi.rsdp();
        blobs.add(switch (entry) {
            case Entry.LongMode m -> new GuestBlob("zero page", LinuxLayout.ZERO_PAGE,
                    ZeroPage.build((BzImage) kernel, LinuxLayout.CMDLINE, initrdAt, initrdSize, map, rsdp));
            case Entry.Pvh p -> new GuestBlob("PVH start info", LinuxLayout.START_INFO,
                    HvmStartInfo.build(LinuxLayout.START_INFO, LinuxLayout.CMDLINE, initrdAt, initrdSize, rsdp, map));
        });
        checkDisjoint(blobs);
        return new LinuxBootPlan(kernel, List.copyOf(blobs), map, entry);
    }

    /** A bzImage goes to pref_address, rounded up to kernel_alignment if it is relocatable (boot.rst). */
    static long loadAddress(BzImage bz) {
        long pref = Math.max(bz.prefAddress(), LinuxLayout.HIGH_MEMORY);
        if (!bz.relocatable()) {
            return pref;
        }
        return (pref + bz.kernelAlignment() - 1) & -bz.kernelAlignment();
    }

    /** What the kernel is told: low RAM around the BIOS area, KVM's reserved pages, high RAM. */
    public static MemoryMap memoryMap(RamLayout ram) {
        return MemoryMap.builder()
                .add(0, LinuxLayout.EBDA, MemoryMap.RAM)
                .add(LinuxLayout.EBDA, LinuxLayout.HIGH_MEMORY - LinuxLayout.EBDA, MemoryMap.RESERVED)
                .add(LinuxLayout.HIGH_MEMORY, ram.lowRamSize() - LinuxLayout.HIGH_MEMORY, MemoryMap.RAM)
                .add(KVM_PAGES, KVM_PAGES_SIZE, MemoryMap.RESERVED)
                .add(RamLayout.HIGH_RAM_START, ram.highRamSize(), MemoryMap.RAM)
                .build();
    }

    private static byte[] commandLine(KernelImage kernel, String cmdline) {
        String text = cmdline == null ? "" : cmdline;
        if (text.indexOf('\0') >= 0) {
            throw new KernelException(kernel.source() + ": the command line has a NUL character");
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        long limit = switch (kernel) {
            case BzImage bz -> bz.cmdlineSize();
            case ElfKernel elf -> LinuxLayout.PVH_CMDLINE_SIZE - 1;
        };
        if (bytes.length > limit) {
            throw new KernelException(String.format("%s: a command line of %d bytes; the kernel takes at most %d "
                    + "(%s)", kernel.source(), bytes.length, limit,
                    kernel instanceof BzImage ? "setup header cmdline_size" : "COMMAND_LINE_SIZE"));
        }
        byte[] z = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, z, 0, bytes.length);
        return z;
    }

    private static void requireRam(String source, String what, long start, long end, long lowEnd) {
        if (start < LinuxLayout.HIGH_MEMORY || end > lowEnd || end < start) {
            throw new KernelException(String.format("%s: %s needs RAM at 0x%x-0x%x; the VM's RAM below 4 GiB ends at "
                    + "0x%x", source, what, start, end, lowEnd));
        }
    }

    /** Flat 4 GiB descriptors: a 64-bit (or 32-bit) code segment, a data segment and a busy TSS. */
    static byte[] gdt(boolean longMode) {
        ByteBuffer g = ByteBuffer.allocate(5 * 8).order(ByteOrder.LITTLE_ENDIAN);
        g.putLong(BOOT_CS, longMode ? 0x00af9b000000ffffL : 0x00cf9b000000ffffL);
        g.putLong(BOOT_DS, 0x00cf93000000ffffL);
        g.putLong(BOOT_TSS, 0x00008b0000000067L);
        return g.array();
    }

    private static void checkDisjoint(List<GuestBlob> blobs) {
        List<GuestBlob> sorted = blobs.stream().sorted(Comparator.comparingLong(GuestBlob::address)).toList();
        for (int i = 1; i < sorted.size(); i++) {
            GuestBlob a = sorted.get(i - 1);
            GuestBlob b = sorted.get(i);
            if (b.address() < a.end()) {
                throw new KernelException(String.format("%s at 0x%x-0x%x overlaps %s at 0x%x", a.what(), a.address(),
                        a.end(), b.what(), b.address()));
            }
        }
    }
}
