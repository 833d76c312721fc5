package dev.vmm.sev.idblock;

import dev.vmm.sev.crypto.AmdEcdsaPublicKey;
import dev.vmm.sev.crypto.AmdEcdsaSignature;
import dev.vmm.sev.crypto.EcCurve;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The ID authentication information structure (SNP ABI "ID_AUTH_INFO", 0x1000 bytes) that goes with
 * an ID block to SNP_LAUNCH_FINISH: the ID block's signature and the ID public key, and optionally an
 * author key that signs the ID key (so that one author can rotate ID keys). The author part is used
 * only when SNP_LAUNCH_FINISH sets AUTH_KEY_EN; without it, it stays zero.
 *
 * <pre>
 * 0x000  ID_KEY_ALGO     4  u32, 1 = ECDSA P-384 with SHA-384
 * 0x004  AUTH_KEY_ALGO   4  u32, same encoding
 * 0x040  ID_BLOCK_SIG  0x200  over the 0x60 ID block bytes, by the ID key
 * 0x240  ID_KEY        0x404  public key
 * 0x680  ID_KEY_SIG    0x200  over the 0x404 ID_KEY bytes, by the author key
 * 0x880  AUTHOR_KEY    0x404  public key
 * (the rest is reserved, zero)
 * </pre>
 *
 * Both keys must be P-384 ({@link AmdEcdsaPublicKey} CURVE 2).
 *
 * @param idKeySig null without an author key
 * @param authorKey null without an author key
 */
public record IdAuthInfo(int idKeyAlgo, int authKeyAlgo, AmdEcdsaSignature idBlockSig, AmdEcdsaPublicKey idKey,
                         AmdEcdsaSignature idKeySig, AmdEcdsaPublicKey authorKey) {
    public static final int SIZE = 0x1000;
    public static final int ID_KEY_ALGO = 0x000;
    public static final int AUTH_KEY_ALGO = 0x004;
    public static final int ID_BLOCK_SIG = 0x040;
    public static final int ID_KEY = 0x240;
    public static final int ID_KEY_SIG = 0x680;
    public static final int AUTHOR_KEY = 0x880;

    public IdAuthInfo {
        if ((idKeySig == null) != (authorKey == null)) {
            throw new IllegalArgumentException("the ID key signature and the author key come together");
        }
    }

    public boolean hasAuthorKey() {
        return authorKey != null;
    }

    /**
     * Reads the structure as the firmware does: the author fields only when {@code authorKeyEnabled}
     * (AUTH_KEY_EN). Refuses an unknown algorithm or a key that is not a P-384 point.
     */
    public static IdAuthInfo parse(byte[] bytes, boolean authorKeyEnabled) {
        if (bytes.length != SIZE) {
            throw new IdBlockException(IdBlockException.Problem.INVALID,
                    "ID auth: " + bytes.length + " bytes, an ID_AUTH_INFO is " + SIZE);
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int idAlgo = b.getInt(ID_KEY_ALGO);
        int authAlgo = b.getInt(AUTH_KEY_ALGO);
        requireAlgo("ID_KEY_ALGO", ID_KEY_ALGO, idAlgo);
        AmdEcdsaSignature blockSig = AmdEcdsaSignature.parse(bytes, ID_BLOCK_SIG);
        AmdEcdsaPublicKey idKey = parseKey(bytes, ID_KEY, "ID_AUTH_INFO.ID_KEY at 0x240");
        if (!authorKeyEnabled) {
            return new IdAuthInfo(idAlgo, authAlgo, blockSig, idKey, null, null);
        }
        requireAlgo("AUTH_KEY_ALGO", AUTH_KEY_ALGO, authAlgo);
        return new IdAuthInfo(idAlgo, authAlgo, blockSig, idKey, AmdEcdsaSignature.parse(bytes, ID_KEY_SIG),
                parseKey(bytes, AUTHOR_KEY, "ID_AUTH_INFO.AUTHOR_KEY at 0x880"));
    }

    /**
     * The P-384 key structure at {@code offset}; {@code where} names it (e.g. "ID_AUTH_INFO.ID_KEY at
     * 0x240") in the error. Reserved bytes are not looked at (the ABI gives no rule for them).
     */
    public static AmdEcdsaPublicKey parseKey(byte[] bytes, int offset, String where) {
        if (offset < 0 || bytes.length - offset < AmdEcdsaPublicKey.SIZE) {
            throw new IdBlockException(IdBlockException.Problem.INVALID, where + ": " + AmdEcdsaPublicKey.SIZE + " bytes needed, "
                    + Math.max(0, bytes.length - offset) + " there");
        }
        int curve = AmdEcdsaPublicKey.curveId(bytes, offset);
        if (curve != EcCurve.P384.id()) {
            throw new IdBlockException(IdBlockException.Problem.INVALID, String.format(
                    "%s: CURVE (offset 0x%x) is %d, not %d (P-384)", where, offset, Integer.toUnsignedLong(curve), EcCurve.P384.id()));
        }
        return AmdEcdsaPublicKey.read(bytes, offset, EcCurve.P384).orElseThrow(() -> new IdBlockException(
                IdBlockException.Problem.INVALID, String.format("%s: QX, QY (offsets 0x%x, 0x%x) are not a point of P-384", where,
                        offset + AmdEcdsaPublicKey.QX, offset + AmdEcdsaPublicKey.QY)));
    }

    public byte[] toBytes() {
        byte[] out = new byte[SIZE];
        ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(ID_KEY_ALGO, idKeyAlgo).putInt(AUTH_KEY_ALGO, authKeyAlgo);
        b.put(ID_BLOCK_SIG, idBlockSig.toBytes()).put(ID_KEY, idKey.toBytes());
        if (authorKey != null) {
            b.put(ID_KEY_SIG, idKeySig.toBytes()).put(AUTHOR_KEY, authorKey.toBytes());
        }
        return out;
    }

    private static void requireAlgo(String field, int offset, int value) {
        if (value != AmdEcdsaSignature.SNP_ECDSA_P384_SHA384) {
            throw new IdBlockException(IdBlockException.Problem.INVALID, String.format(
                    "ID_AUTH_INFO.%s (offset 0x%x) is %d, not %d (ECDSA P-384 with SHA-384)", field, offset,
                    Integer.toUnsignedLong(value), AmdEcdsaSignature.SNP_ECDSA_P384_SHA384));
        }
    }
}
