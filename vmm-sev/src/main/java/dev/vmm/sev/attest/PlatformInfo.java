package dev.vmm.sev.attest;

import java.util.ArrayList;
import java.util.List;

/**
 * PLATFORM_INFO (report offset 0x040): how the platform was configured when the report was made.
 * Unknown bits are kept, not rejected: a real Turin report has bit 6 set, which no source read
 * documents.
 */
public record PlatformInfo(long raw) {
    public enum Bit {
        SMT_EN(0),
        TSME_EN(1),
        ECC_EN(2),
        RAPL_DIS(3),
        CIPHERTEXT_HIDING_DRAM_EN(4),
        /** Report version 3 and later: alias detection completed since reset and found no aliases. */
        ALIAS_CHECK_COMPLETE(5),
        /** Report version 5: SEV-TIO is enabled. */
        SEV_TIO_EN(7);

        private final int bit;

        Bit(int bit) {
            this.bit = bit;
        }

        public int bit() {
            return bit;
        }
    }

    public boolean has(Bit b) {
        return (raw >>> b.bit & 1) != 0;
    }

    public List<Bit> set() {
        List<Bit> bits = new ArrayList<>();
        for (Bit b : Bit.values()) {
            if (has(b)) {
                bits.add(b);
            }
        }
        return bits;
    }

    /** Set bits that have no name here. */
    public long unknownBits() {
        long known = 0;
        for (Bit b : Bit.values()) {
            known |= 1L << b.bit;
        }
        return raw & ~known;
    }
}
