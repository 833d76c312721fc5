package dev.vmm.tests.linux;

import dev.vmm.core.arch.SoftwareKvm;

/**
 * Kernel parameters a Linux guest needs where KVM has no hardware virtualization (this development
 * host's kvm_pvm; ../shared/docs/linux-guest.md). The guest's 64-bit code sees the host's CPUID whatever
 * KVM_SET_CPUID2 says, so the kernel itself must be told to leave alone what KVM's instruction emulator
 * cannot run: the XSAVE family ({@code noxsave}) and the SSE4, AES, SHA, AVX, BMI and CMPXCHG16B users
 * ({@code clearcpuid}). And it skips the start-up self-tests of the jitter entropy source
 * ({@code initcall_blacklist=jent_mod_init}: it times SHA-3 rounds) and of the crypto algorithms
 * ({@code cryptomgr.notests}), which under instruction emulation took over 10 and about 3 minutes of a
 * boot where QEMU TCG needs milliseconds. And no lockup watchdog ({@code nowatchdog}): a vCPU the
 * emulator leaves waiting looks locked up to it, and each report symbolises a backtrace, which under
 * emulation takes longer than the wait it reports.
 * With hardware virtualization there is nothing to add.
 */
public final class SoftwareKvmCmdline {
    static final String PARAMETERS = "noxsave clearcpuid=cx16,popcnt,aes,pclmulqdq,ssse3,sse4_1,sse4_2,sha_ni,gfni,"
            + "vaes,vpclmulqdq,rdrand,rdseed,adx,bmi1,bmi2,movbe,fsgsbase,rdpid,erms,fsrm,avx512f,avx2,avx,fma,f16c "
            + "initcall_blacklist=jent_mod_init cryptomgr.notests nowatchdog";

    private SoftwareKvmCmdline() {}

    /** {@code cmdline}, with the parameters above where this host's KVM is a software one. */
    public static String forThisHost(String cmdline) {
        return SoftwareKvm.detect() ? cmdline + " " + PARAMETERS : cmdline;
    }
}
