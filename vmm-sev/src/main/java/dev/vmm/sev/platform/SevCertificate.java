package dev.vmm.sev.platform;

import dev.vmm.sev.crypto.AmdEcdsaPublicKey;
import dev.vmm.sev.crypto.AmdEcdsaSignature;
import dev.vmm.sev.crypto.EcCurve;
import dev.vmm.sev.crypto.EcdsaDigest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.InvalidKeyException;
import java.security.PrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;

/**
 * A certificate in the SEV format of the SEV API (appendix "Certificates"), as the firmware hands out
 * the PDH, PEK, OCA and CEK: 0x824 little-endian bytes.
 *
 * <pre>
 * 0x000 version u32 (1)      0x004 api_major u8   0x005 api_minor u8   0x006 reserved u16
 * 0x008 pubkey_usage u32     0x00c pubkey_algo u32
 * 0x010 pubkey (0x404): ECC: an {@link AmdEcdsaPublicKey} (curve u32, qx[72], qy[72], reserved)
 * 0x414 sig1_usage u32       0x418 sig1_algo u32  0x41c sig1 (0x200): ECDSA: an {@link AmdEcdsaSignature}
 * 0x61c sig2_usage u32       0x620 sig2_algo u32  0x624 sig2 (0x200)
 * </pre>
 *
 * A signature covers the body, bytes 0x000..0x413, hashed as its algorithm says. A slot is empty when its
 * algorithm is not a signature algorithm (usage 0x1000 "invalid" and algorithm 0 when the firmware clears it).
 */
public final class SevCertificate {
    public static final int SIZE = 0x824;
    public static final int BODY_SIZE = 0x414;
    static final int PUBKEY_OFFSET = 0x10;
    static final int PUBKEY_SIZE = AmdEcdsaPublicKey.SIZE;
    static final int SIG_SLOT_OFFSET = BODY_SIZE;
    static final int SIG_SLOT_SIZE = 0x208;
    static final int SIG_SIZE = AmdEcdsaSignature.SIZE;

    // Key usages.
    public static final int USAGE_ARK = 0x0000;
    public static final int USAGE_ASK = 0x0013;
    public static final int USAGE_INVALID = 0x1000;
    public static final int USAGE_OCA = 0x1001;
    public static final int USAGE_PEK = 0x1002;
    public static final int USAGE_PDH = 0x1003;
    public static final int USAGE_CEK = 0x1004;

    // Algorithms.
    public static final int ALGO_NONE = 0x0000;
    public static final int ALGO_RSA_SHA256 = 0x0001;
    public static final int ALGO_ECDSA_SHA256 = 0x0002;
    public static final int ALGO_ECDH_SHA256 = 0x0003;
    public static final int ALGO_RSA_SHA384 = 0x0101;
    public static final int ALGO_ECDSA_SHA384 = 0x0102;
    public static final int ALGO_ECDH_SHA384 = 0x0103;

    private final byte[] bytes;
    private final String what;

    private SevCertificate(byte[] bytes, String what) {
        this.bytes = bytes;
        this.what = what;
    }

    /** A signature slot: who signed ({@code usage}), how, and the raw 0x200 bytes. */
    public record SignatureSlot(int usage, int algo, byte[] signature) {
        public boolean isEmpty() {
            return !(algo == ALGO_ECDSA_SHA256 || algo == ALGO_ECDSA_SHA384 || algo == ALGO_RSA_SHA256
                    || algo == ALGO_RSA_SHA384) || usage == USAGE_INVALID;
        }
    }

    /**
     * Reads {@code bytes} as a SEV certificate: exactly {@link #SIZE} bytes, version 1, an ECC key on
     * P-256 or P-384 when the algorithm is ECDSA or ECDH.
     *
     * @param what names the input in errors (a file name, "PEK certificate")
     */
    public static SevCertificate parse(byte[] bytes, String what) {
        if (bytes == null || bytes.length != SIZE) {
            throw new SevCertificateException(String.format("%s: %d bytes, a SEV certificate is 0x%x (%d)", what,
                    bytes == null ? 0 : bytes.length, SIZE, SIZE));
        }
        SevCertificate c = new SevCertificate(bytes.clone(), what);
        if (c.version() != 1) {
            throw new SevCertificateException(what + ": version " + c.version() + " at offset 0x0, expected 1");
        }
        int algo = c.pubkeyAlgo();
        if (isEcc(algo)) {
            int curve = c.u32(PUBKEY_OFFSET);
            if (EcCurve.ofId(curve).isEmpty()) {
                throw new SevCertificateException(String.format("%s: curve %d at offset 0x%x is neither P-256 (1) nor P-384 (2)",
                        what, curve, PUBKEY_OFFSET));
            }
        } else if (algo != ALGO_RSA_SHA256 && algo != ALGO_RSA_SHA384) {
            throw new SevCertificateException(String.format("%s: pubkey_algo 0x%x at offset 0xc is not a known algorithm",
                    what, algo));
        }
        return c;
    }

    /** An unsigned certificate (both slots empty) for a P-256 or P-384 key. */
    public static SevCertificate unsigned(int usage, int algo, int apiMajor, int apiMinor, ECPublicKey key) {
        if (!isEcc(algo)) {
            throw new IllegalArgumentException("algorithm 0x" + Integer.toHexString(algo) + " is not ECDSA or ECDH");
        }
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, 1).put(4, (byte) apiMajor).put(5, (byte) apiMinor).putInt(8, usage).putInt(12, algo);
        b.put(PUBKEY_OFFSET, AmdEcdsaPublicKey.of(key).toBytes());
        for (int slot = 0; slot < 2; slot++) {
            b.putInt(SIG_SLOT_OFFSET + slot * SIG_SLOT_SIZE, USAGE_INVALID);
        }
        return new SevCertificate(b.array(), usageName(usage) + " certificate");
    }

    public byte[] encode() {
        return bytes.clone();
    }

    /** The signed part: everything before the first signature slot. */
    public byte[] body() {
        return Arrays.copyOf(bytes, BODY_SIZE);
    }

    public int version() {
        return u32(0);
    }

    public int apiMajor() {
        return bytes[4] & 0xff;
    }

    public int apiMinor() {
        return bytes[5] & 0xff;
    }

    public int pubkeyUsage() {
        return u32(8);
    }

    public int pubkeyAlgo() {
        return u32(12);
    }

    public SignatureSlot signature(int slot) {
        int at = SIG_SLOT_OFFSET + checkSlot(slot) * SIG_SLOT_SIZE;
        return new SignatureSlot(u32(at), u32(at + 4), Arrays.copyOfRange(bytes, at + 8, at + 8 + SIG_SIZE));
    }

    /** The public key (ECDSA or ECDH certificates only). */
    public ECPublicKey publicKey() {
        if (!isEcc(pubkeyAlgo())) {
            throw new SevCertificateException(what + ": an RSA key; only ECC keys are supported here");
        }
        EcCurve curve = EcCurve.ofId(u32(PUBKEY_OFFSET)).orElseThrow();   // parse and unsigned allow no other
        return AmdEcdsaPublicKey.read(bytes, PUBKEY_OFFSET, curve).map(AmdEcdsaPublicKey::toJca)
                .orElseThrow(() -> new SevCertificateException(String.format(
                        "%s: the key at offset 0x%x is not a point on the curve (%s)", what, PUBKEY_OFFSET, curve)));
    }

    /**
     * This certificate with signature slot {@code slot} filled: {@code signer} (a key of usage
     * {@code signerUsage}) signs the body with ECDSA and the hash of {@code algo}.
     */
    public SevCertificate sign(int slot, int signerUsage, int algo, PrivateKey signer) {
        if (algo != ALGO_ECDSA_SHA256 && algo != ALGO_ECDSA_SHA384) {
            throw new IllegalArgumentException("signing algorithm 0x" + Integer.toHexString(algo) + " is not ECDSA");
        }
        AmdEcdsaSignature signature;
        try {
            signature = AmdEcdsaSignature.sign(signer, digest(algo), bytes, 0, BODY_SIZE);
        } catch (InvalidKeyException e) {
            throw new IllegalStateException("ECDSA signing failed", e);
        }
        byte[] out = bytes.clone();
        int at = SIG_SLOT_OFFSET + checkSlot(slot) * SIG_SLOT_SIZE;
        ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putInt(at, signerUsage).putInt(at + 4, algo)
                .put(at + 8, signature.toBytes());
        return new SevCertificate(out, what);
    }

    /** This certificate with slot {@code slot} emptied (usage invalid, algorithm none, zero signature). */
    public SevCertificate withEmptySlot(int slot) {
        byte[] out = bytes.clone();
        int at = SIG_SLOT_OFFSET + checkSlot(slot) * SIG_SLOT_SIZE;
        Arrays.fill(out, at, at + SIG_SLOT_SIZE, (byte) 0);
        ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putInt(at, USAGE_INVALID);
        return new SevCertificate(out, what);
    }

    /**
     * Whether a non-empty slot carries a signature by {@code signer}: the slot's usage is the signer's
     * and the ECDSA signature over the body verifies with the signer's key.
     */
    public boolean isSignedBy(SevCertificate signer) {
        ECPublicKey key = signer.publicKey();
        for (int slot = 0; slot < 2; slot++) {
            SignatureSlot s = signature(slot);
            if (s.isEmpty() || s.usage() != signer.pubkeyUsage()
                    || (s.algo() != ALGO_ECDSA_SHA256 && s.algo() != ALGO_ECDSA_SHA384)) {
                continue;
            }
            if (verify(s, key)) {
                return true;
            }
        }
        return false;
    }

    private boolean verify(SignatureSlot s, ECPublicKey key) {
        try {
            return AmdEcdsaSignature.parse(s.signature(), 0).verifies(key, digest(s.algo()), bytes, 0, BODY_SIZE);
        } catch (InvalidKeyException e) {
            return false;
        }
    }

    public static String usageName(int usage) {
        return switch (usage) {
            case USAGE_ARK -> "ARK";
            case USAGE_ASK -> "ASK";
            case USAGE_OCA -> "OCA";
            case USAGE_PEK -> "PEK";
            case USAGE_PDH -> "PDH";
            case USAGE_CEK -> "CEK";
            case USAGE_INVALID -> "none";
            default -> "usage 0x" + Integer.toHexString(usage);
        };
    }

    public static String algoName(int algo) {
        return switch (algo) {
            case ALGO_NONE -> "none";
            case ALGO_RSA_SHA256 -> "RSA-SHA256";
            case ALGO_ECDSA_SHA256 -> "ECDSA-SHA256";
            case ALGO_ECDH_SHA256 -> "ECDH-SHA256";
            case ALGO_RSA_SHA384 -> "RSA-SHA384";
            case ALGO_ECDSA_SHA384 -> "ECDSA-SHA384";
            case ALGO_ECDH_SHA384 -> "ECDH-SHA384";
            default -> "algorithm 0x" + Integer.toHexString(algo);
        };
    }

    @Override
    public String toString() {
        return String.format("%s certificate, %s, API %d.%d", usageName(pubkeyUsage()), algoName(pubkeyAlgo()),
                apiMajor(), apiMinor());
    }

    private static boolean isEcc(int algo) {
        return algo == ALGO_ECDSA_SHA256 || algo == ALGO_ECDSA_SHA384 || algo == ALGO_ECDH_SHA256
                || algo == ALGO_ECDH_SHA384;
    }

    private static EcdsaDigest digest(int algo) {
        return algo == ALGO_ECDSA_SHA384 ? EcdsaDigest.SHA384 : EcdsaDigest.SHA256;
    }

    private static int checkSlot(int slot) {
        if (slot != 0 && slot != 1) {
            throw new IllegalArgumentException("signature slot " + slot + " (a certificate has slots 0 and 1)");
        }
        return slot;
    }

    private int u32(int at) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getInt(at);
    }
}
