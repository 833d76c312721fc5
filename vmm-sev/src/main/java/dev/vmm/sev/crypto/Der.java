package dev.vmm.sev.crypto;

import java.io.IOException;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Primitive;

/**
 * Strict DER decoding of untrusted bytes with BouncyCastle: exactly one element that fills the input
 * and is encoded as DER requires (no BER forms, no over-long lengths). Whatever BouncyCastle throws
 * becomes a {@link DerException}, for the caller to name the file and field.
 */
public final class Der {
    private Der() {}

    public static ASN1Primitive decode(byte[] der) throws DerException {
        ASN1Primitive element;
        try {
            element = ASN1Primitive.fromByteArray(der);
        } catch (IOException | RuntimeException e) {
            throw new DerException("malformed DER: " + e.getMessage());
        }
        if (element == null) {
            throw new DerException("no DER element (" + der.length + " bytes)");
        }
        try {
            if (!Arrays.equals(element.getEncoded(ASN1Encoding.DER), der)) {
                throw new DerException("not DER: a BER form or an over-long length");
            }
        } catch (IOException e) {
            throw new DerException("malformed DER: " + e.getMessage());
        }
        return element;
    }

    /** {@code element} as the BouncyCastle type of the universal tag expected, or an error naming the tag found. */
    public static <T extends ASN1Primitive> T as(ASN1Primitive element, Class<T> type, int tag) throws DerException {
        if (type.isInstance(element)) {
            return type.cast(element);
        }
        byte[] encoding;
        try {
            encoding = element.getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new DerException("malformed DER: " + e.getMessage());
        }
        throw new DerException(String.format("tag 0x%02x, expected 0x%02x", encoding[0] & 0xff, tag));
    }
}
