package dev.vmm.sev.idblock;

import dev.vmm.core.io.InputFile;
import dev.vmm.core.io.InputFileException;
import dev.vmm.sev.crypto.Der;
import dev.vmm.sev.crypto.DerException;
import dev.vmm.sev.crypto.EcCurve;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.spec.ECPoint;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * Reads an unencrypted P-384 private key from a PEM file, in either form OpenSSL writes: PKCS#8
 * ({@code BEGIN PRIVATE KEY}, as virtee's test keys) or SEC1 ({@code BEGIN EC PRIVATE KEY}, as
 * sev-snp-measure's, which plain JCA cannot load). BouncyCastle reads the PEM and DER; the public key
 * is derived from the private scalar, since neither form has to carry it; when the file does carry one
 * it must be the same point.
 */
public final class EcKeyFile {
    private EcKeyFile() {}

    /** A PEM P-384 key is about 300 bytes; anything over 64 KiB is not one. */
    static final long MAX_SIZE = 64 * 1024;

    public static KeyPair read(Path file) {
        byte[] bytes;
        try {
            bytes = InputFile.read(file, MAX_SIZE, "key");
        } catch (InputFileException e) {
            throw new KeyFileException(e.getMessage());
        }
        // Latin-1 maps every byte to a character, so a binary file reaches the PEM checks, not a decoder error.
        return parse(new String(bytes, StandardCharsets.ISO_8859_1), file.toString());
    }

    /** @param source the file name, for messages */
    public static KeyPair parse(String pem, String source) {
        PemObject block = PrivateKeyPem.block(pem, source);
        String where = source + " (" + block.getType() + ")";
        SecKey key;
        if (block.getType().equals("PRIVATE KEY")) {
            Pkcs8 info = decode(where, "PrivateKeyInfo", () -> Pkcs8.of(PrivateKeyInfo.getInstance(Der.decode(block.getContent()))));
            if (!info.algorithm().equals(X9ObjectIdentifiers.id_ecPublicKey)) {
                throw new KeyFileException(source + ": algorithm " + Oids.name(info.algorithm())
                        + " is not an EC key (1.2.840.10045.2.1)");
            }
            requireP384(source, info.parameters(), "algorithm parameters");
            key = decode(where, "ECPrivateKey", () -> SecKey.of(Der.decode(info.privateKey())));
        } else {
            key = decode(where, "ECPrivateKey", () -> SecKey.of(Der.decode(block.getContent())));
            if (key.parameters() == null) {
                throw new KeyFileException(source + ": the EC PRIVATE KEY names no curve (parameters [0] missing)");
            }
        }
        if (!key.version().equals(BigInteger.ONE)) {
            throw new KeyFileException(source + ": ECPrivateKey version " + key.version() + " is not 1");
        }
        if (key.scalarLength() == 0 || key.scalarLength() > EcCurve.P384.size()) {
            throw new KeyFileException(source + ": a private key of " + key.scalarLength() + " bytes is not a P-384 key (48)");
        }
        if (key.parameters() != null) {
            requireP384(source, key.parameters(), "ECPrivateKey.parameters");
        }
        BigInteger d = key.d();
        if (d.signum() == 0 || d.compareTo(EcCurve.P384.order()) >= 0) {
            throw new KeyFileException(source + ": the private scalar is not in [1, n) of P-384");
        }
        ECPoint q = EcCurve.P384.publicPoint(d);
        if (key.publicKey() != null && !Arrays.equals(key.publicKey(), EcCurve.P384.encode(q, false))
                && !Arrays.equals(key.publicKey(), EcCurve.P384.encode(q, true))) {
            throw new KeyFileException(source + ": the public key in the file is not the private key's");
        }
        return new KeyPair(EcCurve.P384.publicKey(q.getAffineX(), q.getAffineY()), EcCurve.P384.privateKey(d));
    }

    private static void requireP384(String source, ASN1Encodable params, String what) {
        if (!(params instanceof ASN1ObjectIdentifier curve)) {
            throw new KeyFileException(source + ": " + what + " do not name a curve (explicit curve parameters are not supported)");
        }
        if (!curve.equals(SECObjectIdentifiers.secp384r1)) {
            throw new KeyFileException(source + ": curve " + Oids.name(curve) + " is not P-384 (secp384r1, 1.3.132.0.34)");
        }
    }

    /** A decoding step by BouncyCastle, whose exceptions say what is malformed. */
    private interface Step<T> {
        T run() throws DerException, IOException;
    }

    private static <T> T decode(String where, String structure, Step<T> step) {
        try {
            return step.run();
        } catch (DerException | IOException | RuntimeException e) {
            throw new KeyFileException(where + ": " + structure + ": "
                    + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()));
        }
    }

    /** PKCS#8 PrivateKeyInfo: the algorithm, its parameters and the wrapped SEC1 key. */
    private record Pkcs8(ASN1ObjectIdentifier algorithm, ASN1Encodable parameters, byte[] privateKey) {
        static Pkcs8 of(PrivateKeyInfo info) {
            return new Pkcs8(info.getPrivateKeyAlgorithm().getAlgorithm(), info.getPrivateKeyAlgorithm().getParameters(),
                    info.getPrivateKey().getOctets());
        }
    }

    /**
     * SEC1 (RFC 5915) ECPrivateKey: SEQUENCE { version, privateKey OCTET STRING, [0] curve, [1] public
     * key BIT STRING }, the last two optional.
     */
    private record SecKey(BigInteger version, int scalarLength, BigInteger d, ASN1Encodable parameters, byte[] publicKey) {
        static SecKey of(Object der) {
            ECPrivateKey k = ECPrivateKey.getInstance(der);
            BigInteger version = ASN1Integer.getInstance(ASN1Sequence.getInstance(der).getObjectAt(0)).getValue();
            return new SecKey(version, k.getPrivateKey().getOctets().length, k.getKey(), k.getParametersObject(),
                    k.getPublicKey() == null ? null : k.getPublicKey().getOctets());
        }
    }
}
