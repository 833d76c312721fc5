/*
 * The test initramfs's /init: a static program on raw system calls (no libc), for Linux on the VMM.
 * It says hello, reports how many CPUs the kernel brought online, then powers the machine off (ACPI
 * S5 through the kernel), which ends the VM with status 0; with the argument "reboot" (after "--" on
 * the kernel command line) it restarts the machine instead, which this VMM also ends with status 0.
 */
#define SYS_write 1
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
    int reboot = argc > 1 && same(argv[1], "reboot");
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
    say(reboot ? "init: restarting\n" : "init: powering off\n");
    syscall4(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2,
             reboot ? LINUX_REBOOT_CMD_RESTART : LINUX_REBOOT_CMD_POWER_OFF, 0);
    syscall3(SYS_exit, 1, 0, 0);
    for (;;) {
    }
}
