package dev.vmm.core.kvm;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;

/** General-purpose registers ({@code struct kvm_regs}); note the kernel's order (rbx before rcx). */
public record Regs(long rax, long rbx, long rcx, long rdx, long rsi, long rdi, long rsp, long rbp,
                   long r8, long r9, long r10, long r11, long r12, long r13, long r14, long r15,
                   long rip, long rflags) {

    /** The architectural reset value of RFLAGS: only the always-one bit 1. */
    public static final long RFLAGS_RESET = 0x2;

    static Regs read(MemorySegment s) {
        long[] v = new long[18];
        MemorySegment.copy(s, JAVA_LONG, 0, v, 0, 18);
        return new Regs(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12],
                v[13], v[14], v[15], v[16], v[17]);
    }

    void write(MemorySegment s) {
        long[] v = {rax, rbx, rcx, rdx, rsi, rdi, rsp, rbp, r8, r9, r10, r11, r12, r13, r14, r15, rip, rflags};
        MemorySegment.copy(v, 0, s, JAVA_LONG, 0, 18);
    }

    public Regs withRip(long value) {
        return new Regs(rax, rbx, rcx, rdx, rsi, rdi, rsp, rbp, r8, r9, r10, r11, r12, r13, r14, r15, value, rflags);
    }

    public Regs withRdx(long value) {
        return new Regs(rax, rbx, rcx, value, rsi, rdi, rsp, rbp, r8, r9, r10, r11, r12, r13, r14, r15, rip, rflags);
    }

    public Regs withRflags(long value) {
        return new Regs(rax, rbx, rcx, rdx, rsi, rdi, rsp, rbp, r8, r9, r10, r11, r12, r13, r14, r15, rip, value);
    }

    @Override
    public String toString() {
        return String.format("""
                RAX=%016x RBX=%016x RCX=%016x RDX=%016x
                RSI=%016x RDI=%016x RBP=%016x RSP=%016x
                R8 =%016x R9 =%016x R10=%016x R11=%016x
                R12=%016x R13=%016x R14=%016x R15=%016x
                RIP=%016x RFL=%08x""", rax, rbx, rcx, rdx, rsi, rdi, rbp, rsp, r8, r9, r10, r11, r12, r13,
                r14, r15, rip, rflags);
    }
}
