package dev.vmm.sev.attest;

import java.util.Optional;

/**
 * The report's key information word (offset 0x048): bit 0 AUTHOR_KEY_EN, bit 1 MASK_CHIP_KEY, bits
 * 4:2 SIGNING_KEY, bits 31:5 reserved.
 */
public record KeyInfo(long raw) {
    public boolean authorKeyEn() {
        return (raw & 1) != 0;
    }

    /** Set when the firmware wrote zeros instead of a signature. */
    public boolean maskChipKey() {
        return (raw & 2) != 0;
    }

    public int signingKeyCode() {
        return (int) (raw >>> 2 & 7);
    }

    /** Empty for the reserved codes 2..6. */
    public Optional<SigningKey> signingKey() {
        return SigningKey.of(signingKeyCode());
    }

    public long reservedBits() {
        return raw & ~0x1fL;
    }
}
