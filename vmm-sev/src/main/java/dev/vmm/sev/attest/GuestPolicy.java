package dev.vmm.sev.attest;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The guest policy (report offset 0x008; the u64 given to SNP_LAUNCH_START): the minimum firmware ABI
 * and what the guest owner allows the host to do. Bits are named as in the AMD SEV-SNP ABI
 * specification; unknown bits are kept, not rejected, because later firmware defines new ones.
 */
public record GuestPolicy(long raw) {
    /** The single-bit fields, by bit number. */
    public enum Bit {
        /** Host SMT is allowed; clear means the guest runs only with SMT disabled. */
        SMT(16),
        /** Association with a migration agent is allowed. */
        MIGRATE_MA(18),
        /** Debugging (SNP_DBG_DECRYPT and similar) is allowed; a verifier should normally reject it. */
        DEBUG(19),
        /** The guest may be activated on one socket only. */
        SINGLE_SOCKET(20),
        /** CXL may be populated with devices or memory. */
        CXL_ALLOW(21),
        /** AES-256-XTS memory encryption is required. */
        MEM_AES_256_XTS(22),
        /** Running Average Power Limit must be disabled. */
        RAPL_DIS(23),
        /** Ciphertext hiding for DRAM must be enabled. */
        CIPHERTEXT_HIDING_DRAM(24),
        /** Guest access to SNP_PAGE_MOVE, SNP_SWAP_OUT and SNP_SWAP_IN is disabled (firmware 1.58+). */
        PAGE_SWAP_DISABLE(25);

        private final int bit;

        Bit(int bit) {
            this.bit = bit;
        }

        public int bit() {
            return bit;
        }
    }

    /** Bit 17 is reserved and must be one; the firmware refuses a launch without it. */
    public static final int RESERVED_MUST_BE_ONE = 17;

    public int abiMinor() {
        return (int) (raw & 0xff);
    }

    public int abiMajor() {
        return (int) (raw >>> 8 & 0xff);
    }

    public boolean has(Bit b) {
        return (raw >>> b.bit & 1) != 0;
    }

    public boolean reservedBit17() {
        return (raw >>> RESERVED_MUST_BE_ONE & 1) != 0;
    }

    /** Why SNP_LAUNCH_START would refuse this policy before anything is measured, if it would. */
    public Optional<String> launchRefusal() {
        if (!reservedBit17()) {
            return Optional.of(String.format("0x%x: bit 17 is reserved and must be 1, or the firmware refuses the "
                    + "launch (QEMU's default is 0x30000)", raw));
        }
        return Optional.empty();
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

    /** Set bits in 63:26, which this ABI revision reserves (must be zero). */
    public long unknownBits() {
        return raw & ~((1L << 26) - 1);
    }
}
