package dev.vmm.sev.platform;

/**
 * An SNP TCB version as the 64-bit value of SNP_PLATFORM_STATUS and SNP_CONFIG, in the layout of Milan
 * and Genoa (SNP ABI "TCB_VERSION"): boot loader SVN in byte 0, TEE in byte 1, SNP in byte 6, microcode
 * in byte 7; bytes 2..5 reserved.
 */
public record TcbVersion(int bootloader, int tee, int snp, int microcode) {
    public TcbVersion {
        for (int v : new int[] {bootloader, tee, snp, microcode}) {
            if (v < 0 || v > 0xff) {
                throw new IllegalArgumentException("TCB component " + v + " is not a byte");
            }
        }
    }

    public static TcbVersion of(long raw) {
        return new TcbVersion((int) (raw & 0xff), (int) (raw >>> 8 & 0xff), (int) (raw >>> 48 & 0xff),
                (int) (raw >>> 56 & 0xff));
    }

    /** Bits outside the four components; a TCB value with any of these set is malformed. */
    public static long reservedBits(long raw) {
        return raw & 0x0000_ffff_ffff_0000L;
    }

    public long raw() {
        return (long) bootloader | (long) tee << 8 | (long) snp << 48 | (long) microcode << 56;
    }

    /** Whether no component of this version exceeds the same component of {@code other}. */
    public boolean notAbove(TcbVersion other) {
        return bootloader <= other.bootloader && tee <= other.tee && snp <= other.snp && microcode <= other.microcode;
    }

    @Override
    public String toString() {
        return String.format("0x%016x (bootloader %d, tee %d, snp %d, microcode %d)", raw(), bootloader, tee, snp,
                microcode);
    }
}
