package dev.vmm.sev.attest;

import java.util.OptionalInt;

/**
 * A TCB_VERSION: the security patch levels (SPLs) of the firmware components and the microcode, as
 * 8 bytes whose order depends on the CPU generation ({@link TcbLayout}). Compare TCBs component by
 * component, never as raw u64s, because the order differs per generation.
 *
 * @param raw the 8 bytes as a little-endian u64, as the firmware stores them
 * @param fmc the FMC SPL, present in the Turin layout only
 */
public record TcbVersion(TcbLayout layout, long raw, OptionalInt fmc, int bootLoader, int tee, int snp, int microcode) {
    /**
     * Decodes the 8 bytes at {@code offset}; the reserved bytes of the layout must be zero (AMD SEV-SNP
     * ABI, TCB_VERSION).
     */
    static TcbVersion decode(ReportBytes bytes, int offset, String field, TcbLayout layout) {
        long raw = bytes.u64(offset);
        int[] b = new int[8];
        for (int i = 0; i < 8; i++) {
            b[i] = bytes.u8(offset + i);
        }
        int firstReserved = layout == TcbLayout.TURIN ? 4 : 2;
        int lastReserved = layout == TcbLayout.TURIN ? 6 : 5;
        for (int i = firstReserved; i <= lastReserved; i++) {
            if (b[i] != 0) {
                throw bytes.error(offset + i, field, String.format("byte %d of a %s TCB_VERSION is reserved and must be 0, not 0x%02x",
                        i, layout.label(), b[i]));
            }
        }
        return layout == TcbLayout.TURIN
                ? new TcbVersion(layout, raw, OptionalInt.of(b[0]), b[1], b[2], b[3], b[7])
                : new TcbVersion(layout, raw, OptionalInt.empty(), b[0], b[1], b[6], b[7]);
    }

    @Override
    public String toString() {
        return (fmc.isPresent() ? "fmc " + fmc.getAsInt() + ", " : "") + "bl " + bootLoader + ", tee " + tee + ", snp " + snp
                + ", ucode " + microcode;
    }
}
