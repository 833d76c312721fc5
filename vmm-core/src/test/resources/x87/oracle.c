/*
 * The host CPU's x87 as the reference for the emulation assist's soft x87 (X87OracleTest).
 * Reads lines "OP FCW A_SE A_SIG B_SE B_SIG" (hex; A and B are 80-bit values), executes OP with all
 * exceptions masked, prints "RESULT FSW [RFLAGS]" in hex. Only hardware produces the expected values.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef struct __attribute__((packed)) { uint64_t sig; uint16_t se; } f80;

#define BINARY(insn)                                                                       \
    __asm__ volatile("fninit; fldcw %[cw]; fldt %[b]; fldt %[a]; " insn " %%st(1), %%st; " \
                     "fnstsw %[sw]; fstpt %[r]; fstp %%st(0)"                              \
                     : [r] "=m"(r), [sw] "=m"(sw)                                          \
                     : [a] "m"(a), [b] "m"(b), [cw] "m"(cw))

#define STORE(insn, out)                                                                   \
    __asm__ volatile("fninit; fldcw %[cw]; fldt %[a]; " insn " %[o]; fnstsw %[sw]"         \
                     : [o] "=m"(out), [sw] "=m"(sw)                                        \
                     : [a] "m"(a), [cw] "m"(cw))

#define COMPARE(insn)                                                                      \
    __asm__ volatile("fninit; fldcw %[cw]; fldt %[b]; fldt %[a]; " insn " %%st(1), %%st; " \
                     "pushfq; popq %[fl]; fnstsw %[sw]; fstp %%st(0); fstp %%st(0)"        \
                     : [fl] "=r"(fl), [sw] "=m"(sw)                                        \
                     : [a] "m"(a), [b] "m"(b), [cw] "m"(cw))

int main(void) {
    char op[16];
    unsigned cwi, ase, bse;
    unsigned long long asig, bsig;
    while (scanf("%15s %x %x %llx %x %llx", op, &cwi, &ase, &asig, &bse, &bsig) == 6) {
        f80 a = {asig, (uint16_t) ase}, b = {bsig, (uint16_t) bse}, r = {0, 0};
        uint16_t cw = (uint16_t) cwi, sw = 0;
        uint64_t fl = 0, q = 0;
        uint32_t d = 0;
        uint16_t h = 0;
        if (!strcmp(op, "add")) BINARY("fadd");
        else if (!strcmp(op, "sub")) BINARY("fsub");
        else if (!strcmp(op, "mul")) BINARY("fmul");
        else if (!strcmp(op, "div")) BINARY("fdiv");
        else if (!strcmp(op, "fcomi")) COMPARE("fcomi");
        else if (!strcmp(op, "fucomi")) COMPARE("fucomi");
        else if (!strcmp(op, "fsts")) STORE("fsts", d);
        else if (!strcmp(op, "fstl")) STORE("fstl", q);
        else if (!strcmp(op, "fistpll")) STORE("fistpll", q);
        else if (!strcmp(op, "fistpl")) STORE("fistpl", d);
        else if (!strcmp(op, "fistps")) STORE("fistps", h);
        else if (!strcmp(op, "fisttpll")) STORE("fisttpll", q);
        else { fprintf(stderr, "unknown op %s\n", op); return 2; }
        if (op[0] == 'f' && op[1] == 'c') printf("%llx %x\n", (unsigned long long) (fl & 0x8d5), sw);
        else if (op[1] == 'u' && op[2] == 'c') printf("%llx %x\n", (unsigned long long) (fl & 0x8d5), sw);
        else if (!strcmp(op, "fsts") || !strcmp(op, "fistpl")) printf("%x %x\n", d, sw);
        else if (!strcmp(op, "fistps")) printf("%x %x\n", h, sw);
        else if (op[0] == 'f') printf("%llx %x\n", (unsigned long long) q, sw);
        else printf("%x:%llx %x\n", r.se, (unsigned long long) r.sig, sw);
    }
    return 0;
}
