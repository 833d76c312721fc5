package dev.vmm.sev.platform.sim;

import dev.vmm.sev.tcb.TcbVersion;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;

/**
 * SIMULATED: the wrapped VLEK hashstick that AMD's key distribution service makes for one chip, in a
 * format of our own (AMD's is not public): 432 bytes, AES-256-GCM under a key derived from the simulated
 * chip secret.
 *
 * <pre>
 * 0x00 iv[12]   0x0c reserved[4]   0x10 tcb u64   0x18 reserved[8]
 * 0x20 encrypted VLEK seed[48] and GCM tag[16] (additional data: bytes 0x00..0x1f)   0x60.. zero
 * </pre>
 */
public final class SimulatedVlekWrap {
    public static final int SIZE = 432;
    static final int SEED_SIZE = 48;
    private static final int HEADER = 0x20;

    private SimulatedVlekWrap() {}

    /** A hashstick the simulated {@code firmware} accepts, as its simulated key distribution service would make it. */
    public static byte[] wrapFor(SimulatedSevFirmware firmware, TcbVersion tcb, SecureRandom random) {
        byte[] out = new byte[SIZE];
        byte[] iv = new byte[12];
        random.nextBytes(iv);
        byte[] seed = new byte[SEED_SIZE];
        random.nextBytes(seed);
        ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        b.put(0, iv).putLong(0x10, tcb.raw());
        try {
            Cipher c = SimulatedSevFirmware.gcm(Cipher.ENCRYPT_MODE, firmware.vlekWrappingKey(), iv);
            c.updateAAD(out, 0, HEADER);
            byte[] sealed = c.doFinal(seed);
            b.put(HEADER, sealed);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /** The VLEK seed, or null when the hashstick was not wrapped with {@code key} or is malformed. */
    static byte[] unwrap(byte[] key, byte[] hashstick) {
        if (hashstick.length != SIZE) {
            return null;
        }
        int sealedEnd = HEADER + SEED_SIZE + 16;
        for (int i = sealedEnd; i < SIZE; i++) {
            if (hashstick[i] != 0) {
                return null;
            }
        }
        try {
            Cipher c = SimulatedSevFirmware.gcm(Cipher.DECRYPT_MODE, key, Arrays.copyOf(hashstick, 12));
            c.updateAAD(hashstick, 0, HEADER);
            return c.doFinal(hashstick, HEADER, sealedEnd - HEADER);
        } catch (GeneralSecurityException e) {
            return null;
        }
    }
}
