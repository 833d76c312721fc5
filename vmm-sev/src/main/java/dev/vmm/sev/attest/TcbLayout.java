package dev.vmm.sev.attest;

/**
 * Where the SPLs sit in an 8-byte TCB_VERSION. The layout belongs to the CPU generation, not to the
 * report version: a Milan part emitting a version-5 report still uses {@link #MILAN_GENOA}.
 */
public enum TcbLayout {
    /** Milan and Genoa: byte 0 boot loader, 1 TEE, 2..5 reserved, 6 SNP, 7 microcode. */
    MILAN_GENOA("Milan/Genoa"),
    /** Turin and later: byte 0 FMC, 1 boot loader, 2 TEE, 3 SNP, 4..6 reserved, 7 microcode. */
    TURIN("Turin");

    private final String label;

    TcbLayout(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
