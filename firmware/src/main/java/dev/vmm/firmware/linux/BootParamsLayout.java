package dev.vmm.firmware.linux;

import static dev.vmm.core.abi.CStruct.array;
import static dev.vmm.core.abi.CStruct.bytes;
import static dev.vmm.core.abi.CStruct.packed;
import static dev.vmm.core.abi.CStruct.u16;
import static dev.vmm.core.abi.CStruct.u32;
import static dev.vmm.core.abi.CStruct.u64;
import static dev.vmm.core.abi.CStruct.u8;

import dev.vmm.core.abi.CName;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

/**
 * The x86 boot protocol's structures, as asm/bootparam.h declares them (all packed): the setup
 * header a bzImage carries at 0x1F1, and the "zero page" (struct boot_params) a loader hands the
 * kernel in RSI. Members a VMM never fills are kept as byte arrays of their size.
 */
public final class BootParamsLayout {
    @CName("LOADED_HIGH") public static final int LOADED_HIGH = 1;
    @CName("CAN_USE_HEAP") public static final int CAN_USE_HEAP = 1 << 7;
    @CName("KEEP_SEGMENTS") public static final int KEEP_SEGMENTS = 1 << 6;
    @CName("XLF_KERNEL_64") public static final int XLF_KERNEL_64 = 1;
    @CName("XLF_CAN_BE_LOADED_ABOVE_4G") public static final int XLF_CAN_BE_LOADED_ABOVE_4G = 1 << 1;
    @CName("E820_MAX_ENTRIES_ZEROPAGE") public static final int E820_MAX_ENTRIES_ZEROPAGE = 128;

    public static final StructLayout SETUP_HEADER = packed("setup_header",
            u8("setup_sects"), u16("root_flags"), u32("syssize"), u16("ram_size"), u16("vid_mode"), u16("root_dev"),
            u16("boot_flag"), u16("jump"), u32("header"), u16("version"), u32("realmode_swtch"), u16("start_sys_seg"),
            u16("kernel_version"), u8("type_of_loader"), u8("loadflags"), u16("setup_move_size"), u32("code32_start"),
            u32("ramdisk_image"), u32("ramdisk_size"), u32("bootsect_kludge"), u16("heap_end_ptr"),
            u8("ext_loader_ver"), u8("ext_loader_type"), u32("cmd_line_ptr"), u32("initrd_addr_max"),
            u32("kernel_alignment"), u8("relocatable_kernel"), u8("min_alignment"), u16("xloadflags"),
            u32("cmdline_size"), u32("hardware_subarch"), u64("hardware_subarch_data"), u32("payload_offset"),
            u32("payload_length"), u64("setup_data"), u64("pref_address"), u32("init_size"), u32("handover_offset"),
            u32("kernel_info_offset"));

    public static final StructLayout BOOT_E820_ENTRY = packed("boot_e820_entry", u64("addr"), u64("size"), u32("type"));

    public static final StructLayout BOOT_PARAMS = packed("boot_params",
            bytes("screen_info", 0x40), bytes("apm_bios_info", 0x14), bytes("_pad2", 4), u64("tboot_addr"),
            bytes("ist_info", 16), u64("acpi_rsdp_addr"), bytes("_pad3", 8), bytes("hd0_info", 16), bytes("hd1_info", 16),
            bytes("sys_desc_table", 16), bytes("olpc_ofw_header", 16), u32("ext_ramdisk_image"),
            u32("ext_ramdisk_size"), u32("ext_cmd_line_ptr"), bytes("_pad4", 112), u32("cc_blob_address"),
            bytes("edid_info", 128), bytes("efi_info", 32), u32("alt_mem_k"), u32("scratch"), u8("e820_entries"),
            u8("eddbuf_entries"), u8("edd_mbr_sig_buf_entries"), u8("kbd_status"), u8("secure_boot"), bytes("_pad5", 2),
            u8("sentinel"), bytes("_pad6", 1), SETUP_HEADER.withName("hdr"),
            bytes("_pad7", 0x290 - 0x1f1 - SETUP_HEADER.byteSize()),
            array("edd_mbr_sig_buffer", 16, ValueLayout.JAVA_INT),
            array("e820_table", E820_MAX_ENTRIES_ZEROPAGE, BOOT_E820_ENTRY), bytes("_pad8", 48),
            bytes("eddbuf", 6 * 82), bytes("_pad9", 276));

    /** Where the setup header sits in a bzImage file and in the zero page. */
    public static final long HDR = BOOT_PARAMS.byteOffset(java.lang.foreign.MemoryLayout.PathElement.groupElement("hdr"));

    private BootParamsLayout() {}
}
