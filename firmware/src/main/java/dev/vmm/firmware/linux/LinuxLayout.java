package dev.vmm.firmware.linux;

/**
 * Where the Linux loader puts its structures below 1 MiB: the addresses Firecracker and Cloud
 * Hypervisor use (zero page 0x7000, page tables from 0x9000, command line 0x20000), with the PVH start
 * info at 0x6000 and the legacy BIOS area 0x9FC00-0xFFFFF reserved, which holds the ACPI tables.
 */
public final class LinuxLayout {
    public static final long GDT = 0x500;
    public static final long START_INFO = 0x6000;
    public static final long ZERO_PAGE = 0x7000;
    public static final long PAGE_TABLES = 0x9000;
    public static final long CMDLINE = 0x20000;
    /** The command line's room; the kernel's own limit (cmdline_size) is smaller. */
    public static final long CMDLINE_ROOM = 0x10000;
    /** Where RAM below 1 MiB ends for the kernel: the EBDA and the BIOS area above it are reserved. */
    public static final long EBDA = 0x9fc00;
    /** The BIOS read-only area Linux scans for the RSDP (0xE0000-0xFFFFF); the ACPI tables go here. */
    public static final long ACPI_BASE = 0xe0000;
    public static final long HIGH_MEMORY = 0x100000;
    /** x86 Linux's COMMAND_LINE_SIZE (asm/setup.h), the limit of a PVH kernel's command line. */
    public static final long PVH_CMDLINE_SIZE = 2048;

    private LinuxLayout() {}
}
