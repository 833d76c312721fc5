package dev.vmm.firmware.linux;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The zero page (struct boot_params) a 64-bit boot loader hands the kernel: zeroed, the file's setup
 * header copied in, then what boot.rst says a loader writes. Built as bytes; the loader puts it in
 * guest memory.
 */
public final class ZeroPage {
    /** 0xFF: "undefined" boot loader, as Firecracker and Cloud Hypervisor say. */
    static final int TYPE_OF_LOADER_UNDEFINED = 0xff;
    /** vga=normal. */
    static final int VID_MODE_NORMAL = 0xffff;

    private ZeroPage() {}

    /**
     * @param cmdline  guest address of the NUL-terminated command line
     * @param initrd   guest address of the initrd, 0 with none
     * @param rsdp     guest address of the ACPI RSDP (boot_params.acpi_rsdp_addr), 0 to let Linux scan
     */
    public static byte[] build(BzImage kernel, long cmdline, long initrd, long initrdSize, MemoryMap map, long rsdp) {
        MemoryLayout l = BootParamsLayout.BOOT_PARAMS;
        if (map.entries().size() > BootParamsLayout.E820_MAX_ENTRIES_ZEROPAGE) {
            throw new IllegalArgumentException(map.entries().size() + " memory map entries; the zero page holds "
                    + BootParamsLayout.E820_MAX_ENTRIES_ZEROPAGE);
        }
        MemorySegment p = MemorySegment.ofArray(new byte[(int) l.byteSize()]);
        MemorySegment.copy(MemorySegment.ofArray(kernel.setupHeader()), 0, p, BootParamsLayout.HDR,
                kernel.setupHeader().length);
        setByte(p, hdr("type_of_loader"), TYPE_OF_LOADER_UNDEFINED);
        setShort(p, hdr("vid_mode"), VID_MODE_NORMAL);
        setInt(p, hdr("cmd_line_ptr"), (int) cmdline);
        setInt(p, field("ext_cmd_line_ptr"), (int) (cmdline >>> 32));
        setInt(p, hdr("ramdisk_image"), (int) initrd);
        setInt(p, field("ext_ramdisk_image"), (int) (initrd >>> 32));
        setInt(p, hdr("ramdisk_size"), (int) initrdSize);
        setInt(p, field("ext_ramdisk_size"), (int) (initrdSize >>> 32));
        setInt(p, hdr("hardware_subarch"), 0);         // X86_SUBARCH_PC
        p.set(ValueLayout.JAVA_LONG_UNALIGNED, field("acpi_rsdp_addr"), rsdp);
        setByte(p, field("e820_entries"), map.entries().size());
        long table = field("e820_table");
        long entry = BootParamsLayout.BOOT_E820_ENTRY.byteSize();
        for (int i = 0; i < map.entries().size(); i++) {
            MemoryMap.Entry e = map.entries().get(i);
            p.set(ValueLayout.JAVA_LONG_UNALIGNED, table + i * entry, e.address());
            p.set(ValueLayout.JAVA_LONG_UNALIGNED, table + i * entry + 8, e.size());
            p.set(ValueLayout.JAVA_INT_UNALIGNED, table + i * entry + 16, e.type());
        }
        return p.toArray(ValueLayout.JAVA_BYTE);
    }

    static long field(String name) {
        return BootParamsLayout.BOOT_PARAMS.byteOffset(groupElement(name));
    }

    static long hdr(String name) {
        return BootParamsLayout.BOOT_PARAMS.byteOffset(groupElement("hdr"), groupElement(name));
    }

    private static void setByte(MemorySegment p, long at, int v) {
        p.set(ValueLayout.JAVA_BYTE, at, (byte) v);
    }

    private static void setShort(MemorySegment p, long at, int v) {
        p.set(ValueLayout.JAVA_SHORT_UNALIGNED, at, (short) v);
    }

    private static void setInt(MemorySegment p, long at, int v) {
        p.set(ValueLayout.JAVA_INT_UNALIGNED, at, v);
    }
}
