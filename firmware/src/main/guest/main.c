/*
 * The embedded test guest. The BSP prints a banner on COM1, starts the APs (INIT-SIPI-SIPI), waits
 * until each has reported, runs the scenario named by the fw_cfg file "opt/vmm/scenario" and writes
 * its status to the debug-exit port. No x87/SSE anywhere: this host's KVM emulates every instruction.
 */
#include <stdint.h>
#include "layout.h"

#define COM1            0x3f8
#define DEBUG_EXIT_PORT 0x501
#define POST_PORT       0x80
#define FW_CFG_SELECTOR 0x510
#define FW_CFG_DATA     0x511
#define FW_CFG_SIGNATURE 0x00
#define FW_CFG_NB_CPUS  0x05
#define FW_CFG_FILE_DIR 0x19
#define LAPIC_BASE      0xFEE00000UL
#define LAPIC_ID        0x20
#define LAPIC_ICR_LO    0x300
#define LAPIC_ICR_HI    0x310
#define ICR_INIT_ALL_BUT_SELF 0x000C4500
#define ICR_SIPI_ALL_BUT_SELF 0x000C4600
/* TSC ticks to wait for the APs: ample at any TSC rate from 1 to 5 GHz on an emulating host. */
#define AP_TIMEOUT_TICKS 60000000000ULL

/* Exit statuses (the debug-exit value). */
#define EXIT_OK            0
#define EXIT_APS_MISSING   0x10
#define EXIT_APIC_MISMATCH 0x11
#define EXIT_BAD_SCENARIO  0x12
#define EXIT_FWAIT_RAN     0x13
#define EXIT_VIRTIO_FAILED 0x14

extern uint64_t ap_trampoline_lma, ap_trampoline_size;

static volatile uint32_t print_lock;
static volatile uint32_t cpus_online;
static volatile uint32_t apic_mismatch;

static inline void outb(uint16_t port, uint8_t v) { __asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port)); }
static inline void outw(uint16_t port, uint16_t v) { __asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port)); }
static inline void outl(uint16_t port, uint32_t v) { __asm__ volatile("outl %0, %1" : : "a"(v), "Nd"(port)); }
static inline uint32_t inl(uint16_t port) { uint32_t v; __asm__ volatile("inl %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline uint8_t inb(uint16_t port) { uint8_t v; __asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port)); return v; }
static inline void pause(void) { __asm__ volatile("pause"); }
static inline uint64_t rdtsc(void) { uint32_t lo, hi; __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi)); return (uint64_t)hi << 32 | lo; }
static inline uint32_t mmio_read32(uint64_t a) { return *(volatile uint32_t *)a; }
static inline void mmio_write32(uint64_t a, uint32_t v) { *(volatile uint32_t *)a = v; }

static inline void cpuid(uint32_t leaf, uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d) {
    __asm__ volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(0));
}

void *memcpy(void *dst, const void *src, uint64_t n) {
    uint8_t *d = dst;
    const uint8_t *s = src;
    while (n--) *d++ = *s++;
    return dst;
}

void *memset(void *dst, int c, uint64_t n) {
    uint8_t *d = dst;
    while (n--) *d++ = (uint8_t)c;
    return dst;
}

static uint64_t strlen(const char *s) {
    uint64_t n = 0;
    while (s[n]) n++;
    return n;
}

static void putc(char c) {
    while (!(inb(COM1 + 5) & 0x20)) pause();    /* LSR.THRE */
    outb(COM1, (uint8_t)c);
}

static void puts(const char *s) { while (*s) putc(*s++); }

static char getc(void) {
    while (!(inb(COM1 + 5) & 0x01)) pause();    /* LSR.DR */
    return (char)inb(COM1);
}

static void putu(uint64_t v) {
    char buf[21];
    int i = 20;
    buf[i] = 0;
    do { buf[--i] = (char)('0' + v % 10); v /= 10; } while (v);
    puts(&buf[i]);
}

static void lock(void) { while (__atomic_exchange_n(&print_lock, 1, __ATOMIC_ACQUIRE)) pause(); }
static void unlock(void) { __atomic_store_n(&print_lock, 0, __ATOMIC_RELEASE); }

static __attribute__((noreturn)) void exit_vm(uint8_t status) {
    puts("exit ");
    putu(status);
    putc('\n');
    outb(DEBUG_EXIT_PORT, status);
    for (;;) __asm__ volatile("cli; hlt");
}

static void uart_init(void) {
    outb(COM1 + 1, 0x00);   /* IER: polled */
    outb(COM1 + 3, 0x80);   /* LCR: DLAB */
    outb(COM1 + 0, 0x01);   /* 115200 baud */
    outb(COM1 + 1, 0x00);
    outb(COM1 + 3, 0x03);   /* 8N1 */
    outb(COM1 + 2, 0x07);   /* FIFO on, cleared */
}

/* fw_cfg, traditional interface. */
static void fw_cfg_select(uint16_t key) { outw(FW_CFG_SELECTOR, key); }

static void fw_cfg_read(void *buf, uint32_t len) {
    uint8_t *p = buf;
    while (len--) *p++ = inb(FW_CFG_DATA);
}

static uint32_t be32(const uint8_t *p) { return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3]; }

static int fw_cfg_present(void) {
    char sig[4];
    fw_cfg_select(FW_CFG_SIGNATURE);
    fw_cfg_read(sig, 4);
    return sig[0] == 'Q' && sig[1] == 'E' && sig[2] == 'M' && sig[3] == 'U';
}

static int streq(const char *a, const char *b) {
    while (*a && *a == *b) { a++; b++; }
    return *a == *b;
}

/* Reads file "name" into buf (NUL-terminated, truncated to cap-1); returns its length or -1. */
static int fw_cfg_file(const char *name, char *buf, uint32_t cap) {
    uint8_t raw[4], entry[64];
    fw_cfg_select(FW_CFG_FILE_DIR);
    fw_cfg_read(raw, 4);
    uint32_t count = be32(raw);
    for (uint32_t i = 0; i < count; i++) {
        fw_cfg_read(entry, 64);
        entry[63] = 0;
        if (streq((const char *)entry + 8, name)) {
            uint32_t size = be32(entry);
            uint32_t n = size < cap - 1 ? size : cap - 1;
            fw_cfg_select((uint16_t)(entry[4] << 8 | entry[5]));
            fw_cfg_read(buf, n);
            buf[n] = 0;
            return (int)size;
        }
    }
    return -1;
}

static uint32_t cpuid_apic_id(void) {
    uint32_t a, b, c, d;
    cpuid(1, &a, &b, &c, &d);
    return b >> 24;
}

/* Reports this vCPU: the initial APIC ID from CPUID must match the LAPIC's ID register. */
static void report_cpu(const char *role) {
    uint32_t cpuid_id = cpuid_apic_id();
    uint32_t lapic_id = mmio_read32(LAPIC_BASE + LAPIC_ID) >> 24;
    lock();
    uint32_t index = cpus_online;
    puts("cpu ");
    putu(index);
    puts(": ");
    puts(role);
    puts(" online, APIC ID ");
    putu(lapic_id);
    if (cpuid_id != lapic_id) {
        puts(" (CPUID says ");
        putu(cpuid_id);
        puts(")");
        apic_mismatch = 1;
    }
    putc('\n');
    __atomic_store_n(&cpus_online, index + 1, __ATOMIC_RELEASE);
    unlock();
}

void ap_main(void) {
    report_cpu("AP");
    for (;;) __asm__ volatile("cli; hlt");
}

static void start_aps(uint32_t expected) {
    memcpy((void *)AP_TRAMPOLINE, (const void *)ap_trampoline_lma, ap_trampoline_size);
    mmio_write32(LAPIC_BASE + LAPIC_ICR_HI, 0);
    mmio_write32(LAPIC_BASE + LAPIC_ICR_LO, ICR_INIT_ALL_BUT_SELF);
    mmio_write32(LAPIC_BASE + LAPIC_ICR_LO, ICR_SIPI_ALL_BUT_SELF | SIPI_VECTOR);
    mmio_write32(LAPIC_BASE + LAPIC_ICR_LO, ICR_SIPI_ALL_BUT_SELF | SIPI_VECTOR);
    uint64_t start = rdtsc();
    while (__atomic_load_n(&cpus_online, __ATOMIC_ACQUIRE) < expected && rdtsc() - start < AP_TIMEOUT_TICKS)
        pause();
}

static uint64_t parse_u64(const char *s) {
    uint64_t v = 0;
    while (*s >= '0' && *s <= '9') v = v * 10 + (uint64_t)(*s++ - '0');
    return v;
}

static int starts_with(const char *s, const char *prefix) {
    while (*prefix) if (*s++ != *prefix++) return 0;
    return 1;
}

/*
 * A minimal virtio 1.x PCI driver (polled, no interrupts), for the VMM's own tests on real KVM: it finds
 * each virtio function on bus 0, negotiates VERSION_1 only, sets up queue 0 with 8 entries, sends one
 * request and polls the used ring. virtio-rng: 64 bytes; virtio-blk: read sector 0, write sector 1 and
 * flush. "virtio-hostile" instead offers a descriptor outside guest RAM and expects DEVICE_NEEDS_RESET.
 */
#define VIRTIO_VENDOR   0x1af4
#define VQ_SIZE         8
/* Queue q's rings: descriptors at VQ_BASE(q), available ring 4 KiB on, used ring 8 KiB on. */
#define VQ_BASE(q)      (0x400000UL + (uint64_t)(q) * 0x4000)
#define VQ_DESC         VQ_BASE(0)
#define VQ_BUF          0x410000UL
#define VIRTIO_TIMEOUT  20000000000ULL

struct vq_desc { uint64_t addr; uint32_t len; uint16_t flags; uint16_t next; };

static uint32_t pci_read32(int slot, int offset) {
    outl(0xcf8, 0x80000000u | (uint32_t)slot << 11 | (uint32_t)(offset & 0xfc));
    return inl(0xcfc);
}

static uint8_t pci_read8(int slot, int offset) { return (uint8_t)(pci_read32(slot, offset) >> (8 * (offset & 3))); }

static void puthex8(uint8_t v) {
    const char *d = "0123456789abcdef";
    putc(d[v >> 4]);
    putc(d[v & 15]);
}

static __attribute__((noreturn)) void virtio_fail(const char *why) {
    puts("virtio: ");
    puts(why);
    putc('\n');
    exit_vm(EXIT_VIRTIO_FAILED);
}

struct virtio_dev { uint64_t common, notify, device; uint32_t mult; int type; uint16_t notify_off[2]; uint16_t used[2]; };

static volatile uint8_t *c8(struct virtio_dev *v, int off) { return (volatile uint8_t *)(v->common + off); }
static volatile uint16_t *c16(struct virtio_dev *v, int off) { return (volatile uint16_t *)(v->common + off); }
static volatile uint32_t *c32(struct virtio_dev *v, int off) { return (volatile uint32_t *)(v->common + off); }

/* Reset, then ACKNOWLEDGE, DRIVER, VERSION_1 only, FEATURES_OK. */
static void pci_write32(int slot, int offset, uint32_t value) {
    outl(0xcf8, 0x80000000u | (uint32_t)slot << 11 | (uint32_t)(offset & 0xfc));
    outl(0xcfc, value);
}

/*
 * The address of memory BAR n, assigned (at 0xE0000000 plus 1 MiB per slot) and enabled if firmware
 * left it at 0: this VMM assigns BARs for a guest without firmware, QEMU does not.
 */
static uint64_t pci_bar(int slot, int n) {
    int reg = 0x10 + 4 * n;
    uint32_t lo = pci_read32(slot, reg);
    int is64 = (lo & 0x6) == 0x4;
    uint64_t bar = (lo & ~0xfu) | (is64 ? (uint64_t)pci_read32(slot, reg + 4) << 32 : 0);
    if (!bar) {
        bar = 0xe0000000UL + ((uint64_t)slot << 20);
        pci_write32(slot, reg, (uint32_t)bar);
        if (is64) pci_write32(slot, reg + 4, 0);
    }
    pci_write32(slot, 0x04, pci_read32(slot, 0x04) | 0x6);     /* memory space, bus master */
    return bar;
}

static void virtio_setup(struct virtio_dev *v, int slot) {
    v->common = v->notify = v->device = 0;
    v->used[0] = v->used[1] = 0;
    uint64_t bar = 1;
    for (int at = pci_read8(slot, 0x34); at; at = pci_read8(slot, at + 1)) {
        if (pci_read8(slot, at) != 0x09 || pci_read8(slot, at + 3) > 4) continue;
        bar = pci_bar(slot, pci_read8(slot, at + 4));
        uint64_t where = bar + pci_read32(slot, at + 8);
        switch (pci_read8(slot, at + 3)) {
        case 1: v->common = where; break;
        case 2: v->notify = where; v->mult = pci_read32(slot, at + 16); break;
        case 4: v->device = where; break;
        }
    }
    if (!bar || !v->common || !v->notify) virtio_fail("no BAR or capabilities");
    *c8(v, 20) = 0;                                   /* reset */
    *c8(v, 20) = 1;                                   /* ACKNOWLEDGE */
    *c8(v, 20) = 3;                                   /* DRIVER */
    *c32(v, 0) = 1;                                   /* device_feature_select: bits 32-63 */
    if (!(*c32(v, 4) & 1)) virtio_fail("no VERSION_1");
    *c32(v, 8) = 0; *c32(v, 12) = 0;                  /* driver features: VERSION_1 only */
    *c32(v, 8) = 1; *c32(v, 12) = 1;
    *c8(v, 20) = 3 | 8;                               /* FEATURES_OK */
    if (!(*c8(v, 20) & 8)) virtio_fail("FEATURES_OK refused");
}

/* Queue q (0 or 1) with VQ_SIZE entries at VQ_BASE(q), polled: no MSI-X vector. */
static void virtio_queue(struct virtio_dev *v, uint16_t q) {
    *c16(v, 22) = q;                                  /* queue_select */
    if (*c16(v, 24) < VQ_SIZE) virtio_fail("queue too small");
    v->notify_off[q] = *c16(v, 30);
    *c16(v, 24) = VQ_SIZE;
    *c16(v, 26) = 0xffff;
    memset((void *)VQ_BASE(q), 0, 0x3000);
    *c32(v, 32) = (uint32_t)VQ_BASE(q); *c32(v, 36) = 0;
    *c32(v, 40) = (uint32_t)(VQ_BASE(q) + 0x1000); *c32(v, 44) = 0;
    *c32(v, 48) = (uint32_t)(VQ_BASE(q) + 0x2000); *c32(v, 52) = 0;
    *c16(v, 28) = 1;                                  /* queue_enable */
}

static void virtio_start(struct virtio_dev *v) {
    *c8(v, 20) = 3 | 8 | 4;                           /* DRIVER_OK */
}

static struct vq_desc *virtio_desc(uint16_t q) { return (struct vq_desc *)VQ_BASE(q); }

/* Offers the chain at head 0 of queue q (without waiting); returns the request's number. */
static uint16_t virtio_offer(struct virtio_dev *v, uint16_t q) {
    volatile uint16_t *avail = (volatile uint16_t *)(VQ_BASE(q) + 0x1000);
    uint16_t n = (uint16_t)(avail[1] + 1);
    avail[2 + (n - 1) % VQ_SIZE] = 0;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    avail[1] = n;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    *(volatile uint16_t *)(v->notify + (uint64_t)v->notify_off[q] * v->mult) = q;
    return n;
}

/* Waits until queue q's used index reaches n; returns the used length, or ~0 on DEVICE_NEEDS_RESET. */
static uint32_t virtio_wait(struct virtio_dev *v, uint16_t q, uint16_t n) {
    volatile uint16_t *used_idx = (volatile uint16_t *)(VQ_BASE(q) + 0x2000 + 2);
    volatile uint32_t *used_ring = (volatile uint32_t *)(VQ_BASE(q) + 0x2000 + 4);
    uint64_t start = rdtsc();
    for (uint32_t spins = 0; *used_idx != n; spins++) {
        /* The status is an MMIO read, an exit: look at it now and then, not on every turn. */
        if ((spins & 1023) == 1023 && (*c8(v, 20) & 0x40)) return 0xffffffffu;    /* DEVICE_NEEDS_RESET */
        if (rdtsc() - start > VIRTIO_TIMEOUT) virtio_fail("request timed out");
        pause();
    }
    return used_ring[2 * ((n - 1) % VQ_SIZE) + 1];
}

static uint32_t virtio_request(struct virtio_dev *v, uint16_t q) {
    return virtio_wait(v, q, virtio_offer(v, q));
}

static void virtio_rng(struct virtio_dev *v) {
    struct vq_desc *d = virtio_desc(0);
    uint8_t *buf = (uint8_t *)VQ_BUF;
    memset(buf, 0, 64);
    d[0] = (struct vq_desc){VQ_BUF, 64, 2, 0};
    uint32_t len = virtio_request(v, 0);
    int distinct = 0;
    for (int i = 0; i < 64; i++) {
        int seen = 0;
        for (int j = 0; j < i; j++) seen |= buf[j] == buf[i];
        distinct += !seen;
    }
    puts("virtio-rng: ");
    putu(len);
    puts(" bytes, ");
    putu((uint64_t)distinct);
    puts(" distinct\n");
    if (len != 64 || distinct < 16) virtio_fail("virtio-rng gave too little");
}

static uint8_t virtio_blk_request(struct virtio_dev *v, uint32_t type, uint64_t sector, int data_len, int device_writes) {
    struct vq_desc *d = virtio_desc(0);
    uint32_t *hdr = (uint32_t *)(VQ_BUF + 0x1000);
    volatile uint8_t *status = (volatile uint8_t *)(VQ_BUF + 0x3000);
    hdr[0] = type; hdr[1] = 0;
    *(uint64_t *)&hdr[2] = sector;
    *status = 0xff;
    d[0] = (struct vq_desc){VQ_BUF + 0x1000, 16, 1, 1};
    if (data_len) {
        d[1] = (struct vq_desc){VQ_BUF + 0x2000, (uint32_t)data_len, (uint16_t)(1 | (device_writes ? 2 : 0)), 2};
    } else {
        d[0].next = 2;
    }
    d[2] = (struct vq_desc){VQ_BUF + 0x3000, 1, 2, 0};
    virtio_request(v, 0);
    return *status;
}

static void virtio_blk(struct virtio_dev *v) {
    uint8_t *data = (uint8_t *)(VQ_BUF + 0x2000);
    uint32_t capacity_lo = *(volatile uint32_t *)v->device;
    if (virtio_blk_request(v, 0, 0, 512, 1) != 0) virtio_fail("virtio-blk read failed");
    puts("virtio-blk: ");
    putu(capacity_lo);
    puts(" sectors, sector 0: ");
    for (int i = 0; i < 16; i++) puthex8(data[i]);
    putc('\n');
    const char *text = "written by the vmm test guest";
    memset(data, 0, 512);
    for (int i = 0; text[i]; i++) data[i] = (uint8_t)text[i];
    if (virtio_blk_request(v, 1, 1, 512, 0) != 0) virtio_fail("virtio-blk write failed");
    if (virtio_blk_request(v, 4, 0, 0, 0) != 0) virtio_fail("virtio-blk flush failed");
    puts("virtio-blk: wrote sector 1, flushed\n");
}

static void virtio_console(struct virtio_dev *v) {
    struct vq_desc *d = virtio_desc(1);
    const char *text = "hvc0: hello from the test guest\n";
    uint32_t n = 0;
    while (text[n]) { ((char *)VQ_BUF)[n] = text[n]; n++; }
    d[0] = (struct vq_desc){VQ_BUF, n, 0, 0};
    virtio_request(v, 1);
    puts("virtio-console: sent ");
    putu(n);
    puts(" bytes\n");
}

/* virtio-net: one frame out on the transmit queue, the peer's answer in on the receive queue. */
static void virtio_net(struct virtio_dev *v) {
    const char *ping = "ping from the vmm test guest";
    uint8_t *tx = (uint8_t *)(VQ_BUF + 0x4000), *rx = (uint8_t *)(VQ_BUF + 0x8000);
    memset(tx, 0, 12 + 64);
    memset(rx, 0, 12 + 1514);
    for (int i = 0; i < 6; i++) tx[12 + i] = 0xff;                       /* broadcast */
    for (int i = 0; i < 6; i++) tx[12 + 6 + i] = *(volatile uint8_t *)(v->device + i);
    tx[12 + 12] = 0x88; tx[12 + 13] = 0xb5;                             /* local experimental ethertype */
    for (int i = 0; ping[i]; i++) tx[12 + 14 + i] = (uint8_t)ping[i];
    virtio_desc(0)[0] = (struct vq_desc){VQ_BUF + 0x8000, 12 + 1514, 2, 0};
    uint16_t r = virtio_offer(v, 0);
    virtio_desc(1)[0] = (struct vq_desc){VQ_BUF + 0x4000, 12 + 64, 0, 0};
    virtio_request(v, 1);
    uint32_t len = virtio_wait(v, 0, r);
    puts("virtio-net: mac ");
    for (int i = 0; i < 6; i++) puthex8(tx[12 + 6 + i]);
    puts(", received ");
    putu(len > 12 ? len - 12 : 0);
    puts(" bytes: ");
    for (uint32_t i = 12 + 14; i < len && rx[i]; i++) putc((char)rx[i]);
    putc('\n');
}

/*
 * virtio-vsock, stream packets by hand: the host connects to guest port 5001 and has its bytes
 * echoed; then the guest connects to host port 1234, sends a line and prints the answer. One packet
 * in flight each way; credit updates from the host are skipped.
 */
struct vsock_hdr {
    uint64_t src_cid, dst_cid;
    uint32_t src_port, dst_port, len;
    uint16_t type, op;
    uint32_t flags, buf_alloc, fwd_cnt;
} __attribute__((packed));
enum { VSOCK_REQUEST = 1, VSOCK_RESPONSE, VSOCK_RST, VSOCK_SHUTDOWN, VSOCK_RW, VSOCK_CREDIT_UPDATE };
#define VSOCK_TX     (VQ_BUF + 0x4000)
#define VSOCK_RX     (VQ_BUF + 0x8000)
#define VSOCK_RX_LEN 256

static uint64_t vsock_cid;
static uint32_t vsock_fwd;              /* payload bytes taken from the host: our fwd_cnt */

static void vsock_send(struct virtio_dev *v, uint32_t src, uint32_t dst, uint16_t op, uint32_t flags,
                       const void *data, uint32_t len) {
    struct vsock_hdr *h = (struct vsock_hdr *)VSOCK_TX;
    *h = (struct vsock_hdr){vsock_cid, 2, src, dst, len, 1, op, flags, 4096, vsock_fwd};
    memcpy(h + 1, data, len);
    virtio_desc(1)[0] = (struct vq_desc){VSOCK_TX, (uint32_t)sizeof *h + len, 0, 0};
    virtio_request(v, 1);
}

static struct vsock_hdr *vsock_recv(struct virtio_dev *v, uint16_t want) {
    for (;;) {
        virtio_desc(0)[0] = (struct vq_desc){VSOCK_RX, (uint32_t)sizeof(struct vsock_hdr) + VSOCK_RX_LEN, 2, 0};
        virtio_request(v, 0);
        struct vsock_hdr *h = (struct vsock_hdr *)VSOCK_RX;
        if (h->op == want) {
            vsock_fwd += h->len;
            return h;
        }
        if (h->op == VSOCK_CREDIT_UPDATE || (want == VSOCK_RST && h->op == VSOCK_SHUTDOWN)) continue;
        puts("virtio-vsock: op ");
        putu(h->op);
        puts(" from the host, expected ");
        putu(want);
        putc('\n');
        virtio_fail("virtio-vsock protocol");
    }
}

static void vsock_print(struct vsock_hdr *h) {
    const char *d = (const char *)(h + 1);
    for (uint32_t i = 0; i < h->len && i < VSOCK_RX_LEN && d[i] != '\n'; i++) putc(d[i]);
    putc('\n');
}

static void virtio_vsock(struct virtio_dev *v) {
    vsock_cid = mmio_read32(v->device) | (uint64_t)mmio_read32(v->device + 4) << 32;
    vsock_fwd = 0;
    puts("virtio-vsock: cid ");
    putu(vsock_cid);
    puts(", listening on port 5001\n");
    struct vsock_hdr *h = vsock_recv(v, VSOCK_REQUEST);
    uint32_t host_port = h->src_port;
    if (h->dst_port != 5001 || h->src_cid != 2) virtio_fail("virtio-vsock: a request for another port");
    vsock_send(v, 5001, host_port, VSOCK_RESPONSE, 0, 0, 0);
    h = vsock_recv(v, VSOCK_RW);
    uint8_t echo[VSOCK_RX_LEN];
    uint32_t n = h->len < VSOCK_RX_LEN ? h->len : VSOCK_RX_LEN;
    memcpy(echo, h + 1, n);
    vsock_send(v, 5001, host_port, VSOCK_RW, 0, echo, n);
    puts("virtio-vsock: port 5001 echoed ");
    putu(n);
    puts(" bytes to host port ");
    putu(host_port);
    putc('\n');
    vsock_recv(v, VSOCK_SHUTDOWN);
    vsock_send(v, 5001, host_port, VSOCK_RST, 0, 0, 0);

    vsock_fwd = 0;
    vsock_send(v, 6000, 1234, VSOCK_REQUEST, 0, 0, 0);
    vsock_recv(v, VSOCK_RESPONSE);
    const char *line = "hello over vsock from the vmm test guest\n";
    vsock_send(v, 6000, 1234, VSOCK_RW, 0, line, (uint32_t)strlen(line));
    h = vsock_recv(v, VSOCK_RW);
    puts("virtio-vsock: host port 1234 answered: ");
    vsock_print(h);
    vsock_send(v, 6000, 1234, VSOCK_SHUTDOWN, 3, 0, 0);
    vsock_recv(v, VSOCK_RST);
    puts("virtio-vsock: closed\n");
}

/* The benchmark: n reads of `sectors` sectors each from every virtio-blk device, polled one at a time. */
static void virtio_bench(uint64_t n, uint64_t sectors) {
    if (sectors == 0 || sectors > 128) sectors = 8;
    for (int slot = 2; slot < 32; slot++) {
        uint32_t id = pci_read32(slot, 0);
        if ((id & 0xffff) != VIRTIO_VENDOR || (id >> 16) != 0x1042) continue;
        struct virtio_dev v;
        v.type = 2;
        virtio_setup(&v, slot);
        virtio_queue(&v, 0);
        virtio_start(&v);
        uint64_t capacity = *(volatile uint64_t *)v.device;
        struct vq_desc *d = virtio_desc(0);
        uint32_t *hdr = (uint32_t *)(VQ_BUF + 0x1000);
        hdr[0] = 0; hdr[1] = 0;
        d[0] = (struct vq_desc){VQ_BUF + 0x1000, 16, 1, 1};
        d[1] = (struct vq_desc){VQ_BUF + 0x10000, (uint32_t)(sectors * 512), 3, 2};
        d[2] = (struct vq_desc){VQ_BUF + 0x3000, 1, 2, 0};
        for (uint64_t i = 0; i < n; i++) {
            *(uint64_t *)&hdr[2] = (i * sectors) % (capacity - sectors);
            virtio_request(&v, 0);
            if (*(volatile uint8_t *)(VQ_BUF + 0x3000) != 0) virtio_fail("benchmark read failed");
        }
        puts("vbench: ");
        putu(n);
        puts(" reads of ");
        putu(sectors * 512);
        puts(" bytes\n");
        return;
    }
    virtio_fail("no modern virtio-blk on bus 0");
}

/* The network benchmark: n frames of 64 bytes out of the first virtio-net device, polled one at a time. */
static void virtio_net_bench(uint64_t n) {
    for (int slot = 2; slot < 32; slot++) {
        uint32_t id = pci_read32(slot, 0);
        if ((id & 0xffff) != VIRTIO_VENDOR || (id >> 16) != 0x1041) continue;
        struct virtio_dev v;
        v.type = 1;
        virtio_setup(&v, slot);
        virtio_queue(&v, 0);
        virtio_queue(&v, 1);
        virtio_start(&v);
        uint8_t *tx = (uint8_t *)(VQ_BUF + 0x4000);
        memset(tx, 0, 12 + 64);
        for (int i = 0; i < 6; i++) tx[12 + i] = 0xff;
        tx[12 + 12] = 0x88; tx[12 + 13] = 0xb5;
        virtio_desc(1)[0] = (struct vq_desc){VQ_BUF + 0x4000, 12 + 64, 0, 0};
        for (uint64_t i = 0; i < n; i++) virtio_request(&v, 1);
        puts("nbench: ");
        putu(n);
        puts(" frames of 64 bytes\n");
        return;
    }
    virtio_fail("no modern virtio-net on bus 0");
}

static void virtio_scenario(int hostile) {
    int found = 0;
    for (int slot = 2; slot < 32; slot++) {
        uint32_t id = pci_read32(slot, 0);
        if ((id & 0xffff) != VIRTIO_VENDOR) continue;
        struct virtio_dev v;
        v.type = (int)(id >> 16) - 0x1040;
        virtio_setup(&v, slot);
        virtio_queue(&v, v.type == 3 ? 1 : 0);
        if (v.type == 1 || v.type == 19) virtio_queue(&v, 1);
        virtio_start(&v);
        found++;
        if (hostile) {
            uint16_t q = v.type == 3 || v.type == 1 || v.type == 19 ? 1 : 0;                  /* a queue the device reads */
            virtio_desc(q)[0] = (struct vq_desc){0x7fff00000000UL, 4096, (uint16_t)(q ? 0 : 2), 0};
            if (virtio_request(&v, q) != 0xffffffffu) virtio_fail("the device took a buffer outside RAM");
            puts("virtio: device ");
            putu((uint64_t)v.type);
            puts(" needs reset\n");
            *c8(&v, 20) = 0;
            if (*c8(&v, 20) != 0) virtio_fail("reset did not clear the status");
        } else if (v.type == 4) {
            virtio_rng(&v);
        } else if (v.type == 2) {
            virtio_blk(&v);
        } else if (v.type == 3) {
            virtio_console(&v);
        } else if (v.type == 1) {
            virtio_net(&v);
        } else if (v.type == 19) {
            virtio_vsock(&v);
        }
    }
    puts("virtio: ");
    putu((uint64_t)found);
    puts(" devices\n");
    if (!found) virtio_fail("no virtio device on bus 0");
}

static void run_scenario(const char *scenario) {
    if (streq(scenario, "boot")) {
        return;
    }
    if (starts_with(scenario, "pio:")) {
        /* The benchmark's exit loop: N writes to the POST port, each one userspace exit. */
        uint64_t n = parse_u64(scenario + 4);
        for (uint64_t i = 0; i < n; i++) outb(POST_PORT, (uint8_t)i);
        return;
    }
    if (starts_with(scenario, "loop:")) {
        /* Instruction throughput: N iterations of a 2-instruction loop, no exits. */
        uint64_t n = parse_u64(scenario + 5);
        if (n != 0) {   /* dec would wrap 0 to 2^64 - 1 */
            __asm__ volatile("1: dec %0; jnz 1b" : "+r"(n) : : "cc");
        }
        return;
    }
    if (starts_with(scenario, "exit:")) {
        exit_vm((uint8_t)parse_u64(scenario + 5));
    }
    if (streq(scenario, "triple-fault")) {
        /* An empty IDT: the #GP of a non-canonical load cannot be delivered, nor can the #DF. */
        struct __attribute__((packed)) { uint16_t limit; uint64_t base; } idtr = {0, 0};
        puts("loading an empty IDT and raising #GP\n");
        __asm__ volatile("lidt %0; movq (%1), %%rax" : : "m"(idtr), "r"(0x8000000000000000UL) : "rax");
    }
    if (streq(scenario, "fwait")) {
        puts("executing FWAIT\n");
        __asm__ volatile(".byte 0x9b");
        exit_vm(EXIT_FWAIT_RAN);
    }
    if (streq(scenario, "echo")) {
        /* Serial input: echo one line typed on the host's stdin. */
        char line[64];
        unsigned n = 0;
        puts("type a line:\n");
        for (char c = getc(); c != '\n' && c != '\r'; c = getc())
            if (n < sizeof line - 1) line[n++] = c;
        line[n] = 0;
        puts("echo: ");
        puts(line);
        putc('\n');
        return;
    }
    if (starts_with(scenario, "vbench:")) {
        /* vbench:N:SECTORS */
        const char *p = scenario + 7;
        uint64_t n = parse_u64(p);
        while (*p >= '0' && *p <= '9') p++;
        virtio_bench(n, *p == ':' ? parse_u64(p + 1) : 8);
        return;
    }
    if (starts_with(scenario, "nbench:")) {
        virtio_net_bench(parse_u64(scenario + 7));
        return;
    }
    if (streq(scenario, "virtio-spin")) {
        /* The durability test's: the requests, then spin until the host kills the VMM. */
        virtio_scenario(0);
        puts("spinning\n");
        for (;;) pause();
    }
    if (streq(scenario, "virtio") || streq(scenario, "virtio-hostile")) {
        virtio_scenario(streq(scenario, "virtio-hostile"));
        return;
    }
    if (streq(scenario, "halt")) {
        puts("halting with interrupts off\n");
        for (;;) __asm__ volatile("cli; hlt");
    }
    if (streq(scenario, "spin")) {
        puts("spinning\n");
        for (;;) pause();
    }
    puts("unknown scenario: ");
    puts(scenario);
    putc('\n');
    exit_vm(EXIT_BAD_SCENARIO);
}

void bsp_main(void) {
    static char scenario[64] = "boot";
    uint8_t raw[2] = {1, 0};

    uart_init();
    puts("vmm test guest: reset vector -> real mode -> protected mode -> long mode\n");
    if (fw_cfg_present()) {
        fw_cfg_select(FW_CFG_NB_CPUS);
        fw_cfg_read(raw, 2);
        fw_cfg_file("opt/vmm/scenario", scenario, sizeof scenario);
    }
    uint32_t cpus = (uint32_t)(raw[0] | raw[1] << 8);
    if (cpus > MAX_CPUS) {
        /* The VM has more; the rest halt in ap_entry64 without reporting. */
        puts("test guest: counts the first ");
        putu(MAX_CPUS);
        puts(" of ");
        putu(cpus);
        puts(" vCPUs\n");
        cpus = MAX_CPUS;
    }
    if (cpus == 0) {
        cpus = 1;
    }
    report_cpu("BSP");
    if (cpus > 1) {
        start_aps(cpus);
    }
    uint32_t online = __atomic_load_n(&cpus_online, __ATOMIC_ACQUIRE);
    lock();
    puts("vCPUs online: ");
    putu(online);
    puts(" of ");
    putu(cpus);
    putc('\n');
    unlock();
    if (online != cpus) {
        exit_vm(EXIT_APS_MISSING);
    }
    if (apic_mismatch) {
        exit_vm(EXIT_APIC_MISMATCH);
    }
    puts("scenario: ");
    puts(scenario);
    putc('\n');
    run_scenario(scenario);
    exit_vm(EXIT_OK);
}
