package dev.vmm.sev.measure;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The SEV and SEV-ES launch digest: one running SHA-256 over the plaintext of every
 * LAUNCH_UPDATE_DATA range in call order, then (SEV-ES) each VMSA page in vCPU order.
 */
public final class SevLaunchDigest {
    public static final int SIZE = 32;

    private final MessageDigest sha256;

    public SevLaunchDigest() {
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    public void update(byte[] data, int offset, int length) {
        sha256.update(data, offset, length);
    }

    /** The digest so far, without ending the running hash. */
    public byte[] digest() {
        try {
            return ((MessageDigest) sha256.clone()).digest();
        } catch (CloneNotSupportedException e) {
            throw new AssertionError(e);
        }
    }
}
