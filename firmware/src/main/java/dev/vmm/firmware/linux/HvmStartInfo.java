package dev.vmm.firmware.linux;

import static dev.vmm.core.abi.CStruct.struct;
import static dev.vmm.core.abi.CStruct.u32;
import static dev.vmm.core.abi.CStruct.u64;
import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import dev.vmm.core.abi.AbiExempt;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * What a PVH entry gets in EBX: struct hvm_start_info (version 1, with the memory map) followed here by
 * its module list (the initrd) and memory map, in one blob below 1 MiB (Linux reads them through its
 * early 1 GiB identity map).
 */
public final class HvmStartInfo {
    /** "xEn3" with the high bit set (start_info.h XEN_HVM_START_MAGIC_VALUE). */
    public static final int MAGIC = 0x336ec578;
    public static final int VERSION = 1;

    @AbiExempt("xen/interface/hvm/start_info.h is not a UAPI header; HvmStartInfoTest checks its offsets")
    static final StructLayout START_INFO = struct("hvm_start_info", u32("magic"), u32("version"), u32("flags"),
            u32("nr_modules"), u64("modlist_paddr"), u64("cmdline_paddr"), u64("rsdp_paddr"), u64("memmap_paddr"),
            u32("memmap_entries"), u32("reserved"));
    @AbiExempt("xen/interface/hvm/start_info.h is not a UAPI header; HvmStartInfoTest checks its offsets")
    static final StructLayout MODLIST_ENTRY = struct("hvm_modlist_entry", u64("paddr"), u64("size"),
            u64("cmdline_paddr"), u64("reserved"));
    @AbiExempt("xen/interface/hvm/start_info.h is not a UAPI header; HvmStartInfoTest checks its offsets")
    static final StructLayout MEMMAP_ENTRY = struct("hvm_memmap_table_entry", u64("addr"), u64("size"), u32("type"),
            u32("reserved"));

    static final int MODLIST_AT = 0x40;
    static final int MEMMAP_AT = 0x80;

    private HvmStartInfo() {}

    /** The blob for address {@code at}: start info, the initrd as module 0 (if {@code initrdSize > 0}), the map. */
    public static byte[] build(long at, long cmdline, long initrd, long initrdSize, long rsdp, MemoryMap map) {
        List<MemoryMap.Entry> entries = map.entries();
        MemorySegment b = MemorySegment.ofArray(new byte[(int) (MEMMAP_AT + entries.size() * MEMMAP_ENTRY.byteSize())]);
        int modules = initrdSize > 0 ? 1 : 0;
        put32(b, START_INFO, "magic", 0, MAGIC);
        put32(b, START_INFO, "version", 0, VERSION);
        put32(b, START_INFO, "nr_modules", 0, modules);
        put64(b, START_INFO, "modlist_paddr", 0, modules == 0 ? 0 : at + MODLIST_AT);
        put64(b, START_INFO, "cmdline_paddr", 0, cmdline);
        put64(b, START_INFO, "rsdp_paddr", 0, rsdp);
        put64(b, START_INFO, "memmap_paddr", 0, at + MEMMAP_AT);
        put32(b, START_INFO, "memmap_entries", 0, entries.size());
        if (modules > 0) {
            put64(b, MODLIST_ENTRY, "paddr", MODLIST_AT, initrd);
            put64(b, MODLIST_ENTRY, "size", MODLIST_AT, initrdSize);
        }
        for (int i = 0; i < entries.size(); i++) {
            long base = MEMMAP_AT + i * MEMMAP_ENTRY.byteSize();
            put64(b, MEMMAP_ENTRY, "addr", base, entries.get(i).address());
            put64(b, MEMMAP_ENTRY, "size", base, entries.get(i).size());
            put32(b, MEMMAP_ENTRY, "type", base, entries.get(i).type());
        }
        return b.toArray(ValueLayout.JAVA_BYTE);
    }

    private static void put32(MemorySegment b, StructLayout l, String field, long base, long v) {
        b.set(ValueLayout.JAVA_INT_UNALIGNED, base + l.byteOffset(groupElement(field)), (int) v);
    }

    private static void put64(MemorySegment b, StructLayout l, String field, long base, long v) {
        b.set(ValueLayout.JAVA_LONG_UNALIGNED, base + l.byteOffset(groupElement(field)), v);
    }
}
