package dev.vmm.sev.tcb;

import java.util.OptionalInt;

/**
 * A TCB_VERSION: the security patch levels (SPLs) of the firmware components and the microcode, as 8
 * bytes whose order depends on the CPU generation ({@link TcbLayout}). The attestation report, the
 * VCEK, SNP_PLATFORM_STATUS and SNP_CONFIG all carry this value. Compare TCBs component by component,
 * never as raw u64s, because the order differs per generation.
 *
 * @param fmc the FMC SPL, present in the Turin layout only
 */
public record TcbVersion(TcbLayout layout, OptionalInt fmc, int bootLoader, int tee, int snp, int microcode) {
    public TcbVersion {
        if (fmc.isPresent() != (layout == TcbLayout.TURIN)) {
            throw new IllegalArgumentException("an FMC SPL belongs to the Turin layout, and only there");
        }
        for (int v : new int[] {fmc.orElse(0), bootLoader, tee, snp, microcode}) {
            if (v < 0 || v > 0xff) {
                throw new IllegalArgumentException("TCB component " + v + " is not a byte");
            }
        }
    }

    public static TcbVersion milanGenoa(int bootLoader, int tee, int snp, int microcode) {
        return new TcbVersion(TcbLayout.MILAN_GENOA, OptionalInt.empty(), bootLoader, tee, snp, microcode);
    }

    public static TcbVersion turin(int fmc, int bootLoader, int tee, int snp, int microcode) {
        return new TcbVersion(TcbLayout.TURIN, OptionalInt.of(fmc), bootLoader, tee, snp, microcode);
    }

    /**
     * The SPLs of a TCB_VERSION stored as a little-endian u64. Reserved bytes are ignored: check
     * {@link TcbLayout#reservedBits} first where they must be zero.
     */
    public static TcbVersion of(long raw, TcbLayout layout) {
        int[] b = new int[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (int) (raw >>> 8 * i & 0xff);
        }
        return layout == TcbLayout.TURIN ? turin(b[0], b[1], b[2], b[3], b[7]) : milanGenoa(b[0], b[1], b[6], b[7]);
    }

    /** The u64 value, reserved bytes zero. */
    public long raw() {
        return layout == TcbLayout.TURIN
                ? fmc.getAsInt() | (long) bootLoader << 8 | (long) tee << 16 | (long) snp << 24 | (long) microcode << 56
                : bootLoader | (long) tee << 8 | (long) snp << 48 | (long) microcode << 56;
    }

    /** Whether no component of this version exceeds the same component of {@code other} (of the same layout). */
    public boolean notAbove(TcbVersion other) {
        if (layout != other.layout) {
            throw new IllegalArgumentException("TCB versions of the " + layout.label() + " and " + other.layout.label()
                    + " layouts do not compare");
        }
        return fmc.orElse(0) <= other.fmc.orElse(0) && bootLoader <= other.bootLoader && tee <= other.tee
                && snp <= other.snp && microcode <= other.microcode;
    }

    /** The raw value, the SPLs and the layout, e.g. {@code 0x7308000000000003: bl 3, tee 0, snp 8, ucode 115 (Milan/Genoa layout)}. */
    public String describe() {
        return String.format("0x%016x: %s (%s layout)", raw(), this, layout.label());
    }

    /** The SPLs, e.g. {@code fmc 1, bl 1, tee 1, snp 4, ucode 81}. */
    @Override
    public String toString() {
        return (fmc.isPresent() ? "fmc " + fmc.getAsInt() + ", " : "") + "bl " + bootLoader + ", tee " + tee + ", snp " + snp
                + ", ucode " + microcode;
    }
}
