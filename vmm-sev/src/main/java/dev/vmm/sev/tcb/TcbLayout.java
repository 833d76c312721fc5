package dev.vmm.sev.tcb;

import java.util.Optional;

/**
 * Where the SPLs sit in an 8-byte TCB_VERSION (SNP ABI "TCB_VERSION"). The layout belongs to the CPU
 * generation, not to the report version: a Milan part emitting a version-5 report still uses
 * {@link #MILAN_GENOA}.
 */
public enum TcbLayout {
    /** Milan and Genoa: byte 0 boot loader, 1 TEE, 2..5 reserved, 6 SNP, 7 microcode. */
    MILAN_GENOA("Milan/Genoa", 0x0000_ffff_ffff_0000L),
    /** Turin and later: byte 0 FMC, 1 boot loader, 2 TEE, 3 SNP, 4..6 reserved, 7 microcode. */
    TURIN("Turin", 0x00ff_ffff_0000_0000L);

    private final String label;
    private final long reservedMask;

    TcbLayout(String label, long reservedMask) {
        this.label = label;
        this.reservedMask = reservedMask;
    }

    public String label() {
        return label;
    }

    /** The bits of {@code raw} in reserved bytes; a TCB_VERSION with any of them set is malformed. */
    public long reservedBits(long raw) {
        return raw & reservedMask;
    }

    /** Whether byte {@code index} (0 = least significant) is reserved. */
    public boolean isReserved(int index) {
        return (reservedMask >>> 8 * index & 0xff) != 0;
    }

    /** The reserved bytes for a message, e.g. {@code bytes 2..5}. */
    public String reservedBytes() {
        int first = Long.numberOfTrailingZeros(reservedMask) / 8;
        int last = (63 - Long.numberOfLeadingZeros(reservedMask)) / 8;
        return "bytes " + first + ".." + last;
    }

    /**
     * The layout of a CPUID family (the combined family of Fn0000_0001 EAX, as a v3+ report's
     * CPUID_FAM_ID carries it): 0x19 Milan/Genoa, 0x1A Turin and later; empty for other families, which
     * have no SEV-SNP.
     */
    public static Optional<TcbLayout> forCpuFamily(int family) {
        return switch (family) {
            case 0x19 -> Optional.of(MILAN_GENOA);
            case 0x1a -> Optional.of(TURIN);
            default -> Optional.empty();
        };
    }
}
