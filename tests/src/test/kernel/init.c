/*
 * The test initramfs's /init: a static program on raw system calls (no libc), for Linux on the VMM.
 * It says hello, reports how many CPUs the kernel brought online, then powers the machine off (ACPI
 * S5 through the kernel), which ends the VM with status 0; with the argument "reboot" (after "--" on
 * the kernel command line) it restarts the machine instead, which this VMM also ends with status 0.
 * With "virtio" it first loads the virtio-rng and virtio-blk modules the initramfs carries (compressed,
 * as Debian ships them: the kernel decompresses), reads /dev/hwrng, reads sector 0 of /dev/vda, writes
 * sector 1 and fsyncs it, and writes a line to /dev/hvc0 (virtio-console, built in). With "network"
 * it loads virtio_net, brings eth0 up and sends a frame of a test ethertype, then waits for the answer.
 * With "vsock" it loads the virtio vsock transport and talks to host port 1234 over a vsock stream.
 */
#define SYS_read 0
#define SYS_write 1
#define SYS_open 2
#define SYS_close 3
#define SYS_pread64 17
#define SYS_pwrite64 18
#define SYS_nanosleep 35
#define SYS_fsync 74
#define SYS_mount 165
#define SYS_ioctl 16
#define SYS_socket 41
#define SYS_sendto 44
#define SYS_recvfrom 45
#define SYS_bind 49
#define SYS_connect 42
#define AF_VSOCK 40
#define SOCK_STREAM 1
#define VMADDR_CID_HOST 2
#define AF_INET 2
#define AF_PACKET 17
#define SOCK_DGRAM 2
#define SOCK_RAW 3
#define SOCK_NONBLOCK 04000
#define SIOCGIFFLAGS 0x8913
#define SIOCSIFFLAGS 0x8914
#define SIOCGIFHWADDR 0x8927
#define SIOCGIFINDEX 0x8933
#define IFF_UP 1
#define ETHERTYPE_TEST 0x88b5
#define SYS_finit_module 313
#define O_RDONLY 0
#define O_RDWR 2
#define MODULE_INIT_COMPRESSED_FILE 4
#define SYS_sched_getaffinity 204
#define SYS_reboot 169
#define SYS_exit 60
#define LINUX_REBOOT_MAGIC1 0xfee1dead
#define LINUX_REBOOT_MAGIC2 672274793
#define LINUX_REBOOT_CMD_POWER_OFF 0x4321fedc
#define LINUX_REBOOT_CMD_RESTART 0x01234567

static long syscall3(long n, long a, long b, long c) {
    long r;
    __asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
    return r;
}

static long syscall4(long n, long a, long b, long c, long d) {
    long r;
    register long r10 __asm__("r10") = d;
    __asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10) : "rcx", "r11", "memory");
    return r;
}

static long syscall5(long n, long a, long b, long c, long d, long e) {
    long r;
    register long r10 __asm__("r10") = d;
    register long r8 __asm__("r8") = e;
    __asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8) : "rcx", "r11", "memory");
    return r;
}

static void say(const char *s) {
    long n = 0;
    while (s[n]) {
        n++;
    }
    syscall3(SYS_write, 1, (long) s, n);
}

static void number(unsigned long v) {
    char buf[24];
    int i = sizeof buf - 1;
    buf[i] = 0;
    do {
        buf[--i] = (char) ('0' + v % 10);
        v /= 10;
    } while (v);
    say(buf + i);
}

/* The kernel starts init with argc, argv and envp on the stack. */
__asm__(".globl _start\n_start:\n  mov %rsp, %rdi\n  and $-16, %rsp\n  call start\n  hlt\n");

static void hex(const unsigned char *p, int n) {
    char out[3] = {0, 0, 0};
    for (int i = 0; i < n; i++) {
        out[0] = "0123456789abcdef"[p[i] >> 4];
        out[1] = "0123456789abcdef"[p[i] & 15];
        say(out);
    }
}

static void fail(const char *what, long err) {
    say("init: ");
    say(what);
    say(" failed: errno ");
    number((unsigned long) -err);
    say("\n");
}

/* Opens path, waiting up to about 10 s of guest time for a driver to create it. */
static long open_waiting(const char *path, long flags) {
    struct { long sec, nsec; } tenth = {0, 100000000};
    long fd = -1;
    for (int i = 0; i < 100 && (fd = syscall3(SYS_open, (long) path, flags, 0)) < 0; i++) {
        syscall3(SYS_nanosleep, (long) &tenth, 0, 0);
    }
    return fd;
}

static void load(const char *path) {
    long fd = syscall3(SYS_open, (long) path, O_RDONLY, 0);
    long r = fd < 0 ? fd : syscall3(SYS_finit_module, fd, (long) "", MODULE_INIT_COMPRESSED_FILE);
    if (r < 0) {
        fail(path, r);
        return;
    }
    say("init: loaded ");
    say(path);
    say("\n");
}

static void virtio(void) {
    long r = syscall5(SYS_mount, (long) "devtmpfs", (long) "/dev", (long) "devtmpfs", 0, 0);
    if (r < 0 && r != -16) {     /* EBUSY: the kernel mounted it already */
        fail("mount devtmpfs", r);
    }
    load("/virtio-rng.ko.xz");
    load("/virtio_blk.ko.xz");
    unsigned char buf[512];
    long fd = open_waiting("/dev/hwrng", O_RDONLY);
    long n = fd < 0 ? fd : syscall3(SYS_read, fd, (long) buf, 32);
    if (n < 0) {
        fail("/dev/hwrng", n);
    } else {
        say("init: hwrng gave ");
        number((unsigned long) n);
        say(" bytes: ");
        hex(buf, (int) n);
        say("\n");
        syscall3(SYS_close, fd, 0, 0);
    }
    fd = open_waiting("/dev/vda", O_RDWR);
    n = fd < 0 ? fd : syscall4(SYS_pread64, fd, (long) buf, 512, 0);
    if (n != 512) {
        fail("read /dev/vda", n < 0 ? n : -5);
        return;
    }
    say("init: vda sector 0: ");
    hex(buf, 16);
    say("\n");
    const char *text = "written by linux through virtio-blk";
    for (int i = 0; i < 512; i++) {
        buf[i] = 0;
    }
    for (int i = 0; text[i]; i++) {
        buf[i] = (unsigned char) text[i];
    }
    n = syscall4(SYS_pwrite64, fd, (long) buf, 512, 512);
    r = n == 512 ? syscall3(SYS_fsync, fd, 0, 0) : n;
    if (r < 0) {
        fail("write /dev/vda", r);
        return;
    }
    say("init: vda sector 1 written and flushed\n");
    syscall3(SYS_close, fd, 0, 0);
    const char *hello = "hvc0: hello from linux\n";
    fd = open_waiting("/dev/hvc0", O_RDWR);
    n = fd < 0 ? fd : syscall3(SYS_write, fd, (long) hello, 23);
    if (n != 23) {
        fail("write /dev/hvc0", n < 0 ? n : -5);
        return;
    }
    say("init: wrote to hvc0\n");
    syscall3(SYS_close, fd, 0, 0);
}

struct ifreq { char name[16]; union { short flags; int index; struct { unsigned short family; unsigned char data[14]; } hw; char pad[24]; }; };
struct sockaddr_ll { unsigned short family, protocol; int ifindex; unsigned short hatype; unsigned char pkttype, halen, addr[8]; };

/* eth0 up, one frame of the test ethertype out, the peer's answer in (virtio_net and its failover modules). */
static void network(void) {
    load("/failover.ko.xz");
    load("/net_failover.ko.xz");
    load("/virtio_net.ko.xz");
    struct ifreq ifr = {0};
    const char *eth0 = "eth0";
    for (int i = 0; eth0[i]; i++) ifr.name[i] = eth0[i];
    long ctl = syscall3(SYS_socket, AF_INET, SOCK_DGRAM, 0);
    long r = syscall3(SYS_ioctl, ctl, SIOCGIFFLAGS, (long) &ifr);
    if (r < 0) {
        fail("SIOCGIFFLAGS eth0", r);
        return;
    }
    ifr.flags |= IFF_UP;
    r = syscall3(SYS_ioctl, ctl, SIOCSIFFLAGS, (long) &ifr);
    unsigned char mac[6];
    long r2 = syscall3(SYS_ioctl, ctl, SIOCGIFHWADDR, (long) &ifr);
    for (int i = 0; i < 6; i++) mac[i] = ifr.hw.data[i];
    long r3 = syscall3(SYS_ioctl, ctl, SIOCGIFINDEX, (long) &ifr);
    if (r < 0 || r2 < 0 || r3 < 0) {
        fail("eth0 up", r < 0 ? r : r2 < 0 ? r2 : r3);
        return;
    }
    unsigned short proto = (unsigned short) (ETHERTYPE_TEST >> 8 | (ETHERTYPE_TEST & 0xff) << 8);
    long p = syscall3(SYS_socket, AF_PACKET, SOCK_RAW | SOCK_NONBLOCK, proto);
    struct sockaddr_ll ll = {AF_PACKET, proto, ifr.index, 0, 0, 0, {0}};
    r = p < 0 ? p : syscall3(SYS_bind, p, (long) &ll, sizeof ll);
    if (r < 0) {
        fail("AF_PACKET socket", r);
        return;
    }
    unsigned char frame[64] = {0};
    const char *ping = "ping from linux";
    for (int i = 0; i < 6; i++) {
        frame[i] = 0xff;
        frame[6 + i] = mac[i];
    }
    frame[12] = ETHERTYPE_TEST >> 8;
    frame[13] = ETHERTYPE_TEST & 0xff;
    for (int i = 0; ping[i]; i++) frame[14 + i] = (unsigned char) ping[i];
    r = syscall5(SYS_sendto, p, (long) frame, sizeof frame, 0, 0);
    if (r < 0) {
        fail("send on eth0", r);
        return;
    }
    say("init: eth0 ");
    hex(mac, 6);
    say(" sent a frame\n");
    unsigned char in[1600];
    struct { long sec, nsec; } tenth = {0, 100000000};
    for (int i = 0; i < 100; i++) {
        long n = syscall5(SYS_recvfrom, p, (long) in, sizeof in, 0, 0);
        if (n > 14 && in[12] == frame[12] && in[13] == frame[13] && in[14] == 'p' && in[15] == 'o') {
            in[n < 40 ? n : 40] = 0;
            say("init: eth0 got: ");
            say((const char *) in + 14);
            say("\n");
            return;
        }
        syscall3(SYS_nanosleep, (long) &tenth, 0, 0);
    }
    say("init: eth0 got no answer\n");
}

struct sockaddr_vm { unsigned short family, reserved1; unsigned int port, cid; unsigned char flags, zero[3]; };

/* A stream to host port 1234 (a host service at PATH_1234 of --vsock): a line out, the answer in. */
static void vsock(void) {
    load("/vsock.ko.xz");
    load("/vmw_vsock_virtio_transport_common.ko.xz");
    load("/vmw_vsock_virtio_transport.ko.xz");
    long s = syscall3(SYS_socket, AF_VSOCK, SOCK_STREAM, 0);
    struct sockaddr_vm host = {AF_VSOCK, 0, 1234, VMADDR_CID_HOST, 0, {0}};
    long r = s < 0 ? s : syscall3(SYS_connect, s, (long) &host, sizeof host);
    if (r < 0) {
        fail("vsock connect to host port 1234", r);
        return;
    }
    const char *line = "hello from linux over vsock\n";
    long n = 0;
    while (line[n]) n++;
    r = syscall3(SYS_write, s, (long) line, n);
    if (r != n) {
        fail("vsock write", r);
        return;
    }
    char in[128];
    long got = 0;
    while (got < (long) sizeof in - 1) {
        long k = syscall3(SYS_read, s, (long) in + got, sizeof in - 1 - got);
        if (k <= 0) break;
        got += k;
        if (in[got - 1] == '\n') break;
    }
    in[got] = 0;
    say("init: vsock got: ");
    say(in);
    syscall3(SYS_close, s, 0, 0);
}

static int same(const char *a, const char *b) {
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

void start(long *stack) {
    long argc = stack[0];
    char **argv = (char **) (stack + 1);
    int reboot = 0;
    for (long i = 1; i < argc; i++) {
        reboot |= same(argv[i], "reboot");
    }
    unsigned long mask[16] = {0};
    say("init: hello from the test initramfs\n");
    long bytes = syscall3(SYS_sched_getaffinity, 0, sizeof mask, (long) mask);
    unsigned long cpus = 0;
    for (long i = 0; i < bytes / (long) sizeof mask[0]; i++) {
        for (unsigned long m = mask[i]; m; m &= m - 1) {
            cpus++;
        }
    }
    say("init: ");
    number(cpus);
    say(" CPUs online\n");
    for (long i = 1; i < argc; i++) {
        if (same(argv[i], "virtio")) {
            virtio();
        }
        if (same(argv[i], "network")) {
            network();
        }
        if (same(argv[i], "vsock")) {
            vsock();
        }
    }
    say(reboot ? "init: restarting\n" : "init: powering off\n");
    syscall4(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2,
             reboot ? LINUX_REBOOT_CMD_RESTART : LINUX_REBOOT_CMD_POWER_OFF, 0);
    syscall3(SYS_exit, 1, 0, 0);
    for (;;) {
    }
}
