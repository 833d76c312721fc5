package dev.vmm.sev.attest;

/** Facts about CHIP_ID values: Turin uses only the first 8 of the 64 bytes. */
final class ChipIds {
    private ChipIds() {}

    static final int TURIN_HWID_SIZE = 8;

    /** Non-zero in the first 8 bytes and zero after: how a Turin chip ID looks. */
    static boolean turinShaped(byte[] chipId) {
        return !allZero(chipId, 0, TURIN_HWID_SIZE) && allZero(chipId, TURIN_HWID_SIZE, chipId.length);
    }

    static boolean allZero(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
