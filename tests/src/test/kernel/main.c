/*
 * The test kernel's report: what the boot loader handed over, printed on COM1 for the test to
 * compare with what it gave (the zero page's setup header, the command line, the e820 map, the initrd),
 * then an exit through the debug-exit port: 0 if the entry state is the protocol's, 1 if not.
 */
#include <asm/bootparam.h>
#include <stdint.h>

extern uint16_t entry_cs, entry_ds, entry_ss;
extern uint32_t bp_count, ud_count;
extern char bp_handler[], ud_handler[];
extern uint64_t entry_rflags, entry_rsp;

#define COM1 0x3f8
#define DEBUG_EXIT 0x501
#define RFLAGS_IF (1u << 9)

static inline void outb(uint16_t port, uint8_t v) {
    __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static void putc(char c) {
    outb(COM1, (uint8_t) c);
}

static void puts(const char *s) {
    while (*s) {
        putc(*s++);
    }
}

static void hex(uint64_t v) {
    puts("0x");
    int started = 0;
    for (int shift = 60; shift >= 0; shift -= 4) {
        int d = (int) (v >> shift & 0xf);
        if (d || started || shift == 0) {
            putc((char) (d < 10 ? '0' + d : 'a' + d - 10));
            started = 1;
        }
    }
}

/* A 64-bit IDT with interrupt gates for #BP (3) and #UD (6) on the boot CS. */
static uint64_t idt[256 * 2] __attribute__((aligned(16)));

static void gate(int vector, void *handler) {
    uint64_t a = (uint64_t) handler;
    idt[2 * vector] = (a & 0xffff) | (uint64_t) 0x10 << 16 | (uint64_t) 0x8e << 40 | (a >> 16 & 0xffff) << 48;
    idt[2 * vector + 1] = a >> 32;
}

/* INT3 and UD2 must reach the guest's own handlers, however the host's KVM runs them. */
static void traps(void) {
    struct __attribute__((packed)) {
        uint16_t limit;
        uint64_t base;
    } idtr = {sizeof idt - 1, (uint64_t) idt};
    gate(3, bp_handler);
    gate(6, ud_handler);
    __asm__ volatile("lidt %0" : : "m"(idtr));
    __asm__ volatile("int3" ::: "memory");
    __asm__ volatile("ud2" ::: "memory");
    puts("traps: int3 ");
    hex(bp_count);
    puts(" ud2 ");
    hex(ud_count);
    puts("\n");
}

static void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4]) {
    __asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3]) : "a"(leaf), "c"(sub));
}

/* What CPUID says of the features a guest kernel picks instructions by: the VMM decides them. */
static void features(void) {
    uint32_t r[4];
    cpuid(1, 0, r);
    puts("cpuid 1 ecx ");
    hex(r[2]);
    cpuid(0xd, 0, r);
    puts(" 0xd.0 eax ");
    hex(r[0]);
    puts("\n");
}

static uint64_t fnv1a(const uint8_t *p, uint64_t n) {
    uint64_t h = 0xcbf29ce484222325ull;
    for (uint64_t i = 0; i < n; i++) {
        h = (h ^ p[i]) * 0x100000001b3ull;
    }
    return h;
}

void kmain(struct boot_params *bp) {
    struct setup_header *h = &bp->hdr;
    int ok = entry_cs == 0x10 && entry_ds == 0x18 && entry_ss == 0x18 && !(entry_rflags & RFLAGS_IF)
            && h->header == 0x53726448 && h->boot_flag == 0xaa55;
    puts("test kernel: 64-bit entry cs=");
    hex(entry_cs);
    puts(" ds=");
    hex(entry_ds);
    puts(" ss=");
    hex(entry_ss);
    puts(" if=");
    hex(entry_rflags >> 9 & 1);
    puts("\nboot_params ");
    hex((uint64_t) bp);
    puts(" version ");
    hex(h->version);
    puts(" type_of_loader ");
    hex(h->type_of_loader);
    puts(" loadflags ");
    hex(h->loadflags);
    puts(" code32_start ");
    hex(h->code32_start);
    puts("\n");

    uint64_t cmdline = h->cmd_line_ptr | (uint64_t) bp->ext_cmd_line_ptr << 32;
    puts("cmdline ");
    hex(cmdline);
    puts(" [");
    if (cmdline) {
        puts((const char *) cmdline);
    }
    puts("]\n");

    puts("e820 ");
    hex(bp->e820_entries);
    puts("\n");
    for (int i = 0; i < bp->e820_entries && i < E820_MAX_ENTRIES_ZEROPAGE; i++) {
        puts("e820 ");
        hex(bp->e820_table[i].addr);
        puts(" ");
        hex(bp->e820_table[i].size);
        puts(" ");
        hex(bp->e820_table[i].type);
        puts("\n");
    }

    uint64_t initrd = h->ramdisk_image | (uint64_t) bp->ext_ramdisk_image << 32;
    uint64_t initrd_size = h->ramdisk_size | (uint64_t) bp->ext_ramdisk_size << 32;
    puts("initrd ");
    hex(initrd);
    puts(" ");
    hex(initrd_size);
    puts(" fnv1a ");
    hex(initrd_size ? fnv1a((const uint8_t *) initrd, initrd_size) : 0);
    puts("\nacpi_rsdp_addr ");
    hex(bp->acpi_rsdp_addr);
    puts("\n");
    traps();
    features();
    puts("end\n");
    outb(DEBUG_EXIT, ok && bp_count == 1 && ud_count == 1 ? 0 : 1);
}
