package dev.vmm.sev.attest;

import java.util.Optional;

/** KEY_INFO.SIGNING_KEY: which key signed the report; other values are reserved. */
public enum SigningKey {
    /** Versioned Chip Endorsement Key: chain ARK, ASK, VCEK. */
    VCEK(0),
    /** Versioned Loaded Endorsement Key: chain ARK, ASVK, VLEK. */
    VLEK(1),
    /** Not signed: the signature field is zero. */
    NONE(7);

    private final int code;

    SigningKey(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static Optional<SigningKey> of(int code) {
        for (SigningKey k : values()) {
            if (k.code == code) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }
}
