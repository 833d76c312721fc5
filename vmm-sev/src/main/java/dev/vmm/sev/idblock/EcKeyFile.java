package dev.vmm.sev.idblock;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.spec.ECPoint;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * Reads an unencrypted P-384 private key from a PEM file, in either form OpenSSL writes: PKCS#8
 * ({@code BEGIN PRIVATE KEY}, as virtee's test keys) or SEC1 ({@code BEGIN EC PRIVATE KEY}, as
 * sev-snp-measure's, which plain JCA cannot load). The public key is derived from the private scalar,
 * since neither form has to carry it; when the file does carry one it must be the same point.
 */
public final class EcKeyFile {
    /** DER contents of id-ecPublicKey (1.2.840.10045.2.1) and secp384r1 (1.3.132.0.34). */
    private static final byte[] EC_PUBLIC_KEY = HexFormat.of().parseHex("2a8648ce3d0201");
    private static final byte[] SECP384R1 = HexFormat.of().parseHex("2b81040022");
    private static final int CONTEXT_0 = 0xa0;
    private static final int CONTEXT_1 = 0xa1;

    private EcKeyFile() {}

    public static KeyPair read(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new KeyFileException(file + ": no such key file");
        } catch (IOException e) {
            throw new KeyFileException(file + ": cannot read: " + e.getMessage());
        }
        // Latin-1 maps every byte to a character, so a binary file reaches the PEM checks, not a decoder error.
        return parse(new String(bytes, StandardCharsets.ISO_8859_1), file.toString());
    }

    /** @param source the file name, for messages */
    public static KeyPair parse(String pem, String source) {
        Pem block = Pem.privateKey(pem, source);
        BigInteger d;
        byte[] publicKey;
        Der file = Der.of(block.der(), source + " (" + block.label() + ")");
        if (block.label().equals("PRIVATE KEY")) {
            Der info = file.next(Der.SEQUENCE, "PrivateKeyInfo").children(file.source());
            byte[] version = info.next(Der.INTEGER, "PrivateKeyInfo.version").content();
            if (version.length != 1 || version[0] != 0 && version[0] != 1) {
                throw new KeyFileException(source + ": PKCS#8 version " + HexFormat.of().formatHex(version) + " is not 0 or 1");
            }
            Der algorithm = info.next(Der.SEQUENCE, "PrivateKeyInfo.privateKeyAlgorithm").children(file.source());
            byte[] oid = algorithm.next(Der.OID, "algorithm OID").content();
            if (!Arrays.equals(oid, EC_PUBLIC_KEY)) {
                throw new KeyFileException(source + ": algorithm " + Oids.name(oid) + " is not an EC key (1.2.840.10045.2.1)");
            }
            requireP384(source, algorithm, "algorithm parameters");
            Der.Element inner = info.next(Der.OCTET_STRING, "PrivateKeyInfo.privateKey");
            ParsedKey k = ecPrivateKey(inner.children(file.source()), source, false);
            d = k.d();
            publicKey = k.publicKey();
        } else {
            ParsedKey k = ecPrivateKey(file, source, true);
            d = k.d();
            publicKey = k.publicKey();
        }
        if (d.signum() == 0 || d.compareTo(P384.N) >= 0) {
            throw new KeyFileException(source + ": the private scalar is not in [1, n) of P-384");
        }
        ECPoint q = P384.publicPoint(d);
        if (publicKey != null && !matches(publicKey, q)) {
            throw new KeyFileException(source + ": the public key in the file is not the private key's");
        }
        return new KeyPair(P384.publicKey(q.getAffineX(), q.getAffineY()), P384.privateKey(d));
    }

    private record ParsedKey(BigInteger d, byte[] publicKey) {}

    /**
     * SEC1 (RFC 5915) ECPrivateKey: SEQUENCE { version 1, privateKey OCTET STRING, [0] curve OID,
     * [1] public key BIT STRING }; the curve is required when nothing outside names it.
     */
    private static ParsedKey ecPrivateKey(Der in, String source, boolean curveRequired) {
        Der key = in.next(Der.SEQUENCE, "ECPrivateKey").children(in.source());
        byte[] version = key.next(Der.INTEGER, "ECPrivateKey.version").content();
        if (version.length != 1 || version[0] != 1) {
            throw new KeyFileException(source + ": ECPrivateKey version " + HexFormat.of().formatHex(version) + " is not 1");
        }
        byte[] scalar = key.next(Der.OCTET_STRING, "ECPrivateKey.privateKey").content();
        if (scalar.length == 0 || scalar.length > P384.SIZE) {
            throw new KeyFileException(source + ": a private key of " + scalar.length + " bytes is not a P-384 key (48)");
        }
        boolean curveNamed = false;
        if (key.peekTag() == CONTEXT_0) {
            requireP384(source, key.next(CONTEXT_0, "ECPrivateKey.parameters").children(in.source()), "ECPrivateKey.parameters");
            curveNamed = true;
        }
        if (curveRequired && !curveNamed) {
            throw new KeyFileException(source + ": the EC PRIVATE KEY names no curve (parameters [0] missing)");
        }
        byte[] publicKey = null;
        if (key.peekTag() == CONTEXT_1) {
            Der wrapped = key.next(CONTEXT_1, "ECPrivateKey.publicKey").children(in.source());
            byte[] bits = wrapped.next(Der.BIT_STRING, "ECPrivateKey.publicKey BIT STRING").content();
            if (bits.length < 2 || bits[0] != 0) {
                throw new KeyFileException(source + ": the public key BIT STRING is empty or not whole bytes");
            }
            publicKey = Arrays.copyOfRange(bits, 1, bits.length);
        }
        return new ParsedKey(new BigInteger(1, scalar), publicKey);
    }

    private static void requireP384(String source, Der params, String what) {
        if (params.peekTag() != Der.OID) {
            throw new KeyFileException(source + ": " + what + " do not name a curve (explicit curve parameters are not supported)");
        }
        byte[] curve = params.next(Der.OID, what).content();
        if (!Arrays.equals(curve, SECP384R1)) {
            throw new KeyFileException(source + ": curve " + Oids.name(curve) + " is not P-384 (secp384r1, 1.3.132.0.34)");
        }
    }

    /** An SEC1 point encoding (uncompressed 04 x y, or compressed 02/03 x) equal to {@code q}. */
    private static boolean matches(byte[] encoded, ECPoint q) {
        byte[] x = fixed(q.getAffineX());
        if (encoded.length == 1 + 2 * P384.SIZE && encoded[0] == 4) {
            return Arrays.equals(encoded, 1, 1 + P384.SIZE, x, 0, P384.SIZE)
                    && Arrays.equals(encoded, 1 + P384.SIZE, encoded.length, fixed(q.getAffineY()), 0, P384.SIZE);
        }
        if (encoded.length == 1 + P384.SIZE && (encoded[0] == 2 || encoded[0] == 3)) {
            return Arrays.equals(encoded, 1, encoded.length, x, 0, P384.SIZE)
                    && q.getAffineY().testBit(0) == (encoded[0] == 3);
        }
        return false;
    }

    private static byte[] fixed(BigInteger v) {
        byte[] be = v.toByteArray();
        byte[] out = new byte[P384.SIZE];
        int n = Math.min(be.length, P384.SIZE);
        System.arraycopy(be, be.length - n, out, P384.SIZE - n, n);
        return out;
    }

    /** The private-key block of a PEM text. */
    private record Pem(String label, byte[] der) {
        private static final List<String> KEY_LABELS = List.of("PRIVATE KEY", "EC PRIVATE KEY");

        static Pem privateKey(String text, String source) {
            String[] lines = text.split("\r?\n", -1);
            Pem found = null;
            for (int i = 0; i < lines.length; i++) {
                String line = lines[i].strip();
                if (!line.startsWith("-----BEGIN ")) {
                    continue;
                }
                if (!line.endsWith("-----") || line.length() < "-----BEGIN -----".length()) {
                    throw new KeyFileException(source + ": line " + (i + 1) + ": malformed BEGIN line");
                }
                String label = line.substring("-----BEGIN ".length(), line.length() - "-----".length());
                int endLine = findEnd(lines, i + 1, label, source);
                if (label.equals("EC PARAMETERS")) {
                    i = endLine;
                    continue;   // OpenSSL's "ecparam -genkey" writes the curve before the key
                }
                if (label.equals("ENCRYPTED PRIVATE KEY")) {
                    throw new KeyFileException(source + ": the key is encrypted; decrypt it first "
                            + "(openssl pkcs8 -in KEY -out PLAIN)");
                }
                if (!KEY_LABELS.contains(label)) {
                    throw new KeyFileException(source + ": line " + (i + 1) + ": a PEM " + label
                            + ", not a P-384 private key (PRIVATE KEY or EC PRIVATE KEY)");
                }
                if (found != null) {
                    throw new KeyFileException(source + ": more than one private key");
                }
                found = new Pem(label, body(lines, i + 1, endLine, source));
                i = endLine;
            }
            if (found == null) {
                throw new KeyFileException(source + ": no PEM private key (-----BEGIN PRIVATE KEY----- or "
                        + "-----BEGIN EC PRIVATE KEY-----)");
            }
            return found;
        }

        private static int findEnd(String[] lines, int from, String label, String source) {
            for (int j = from; j < lines.length; j++) {
                if (lines[j].strip().equals("-----END " + label + "-----")) {
                    return j;
                }
                if (lines[j].contains("-----")) {
                    break;
                }
            }
            throw new KeyFileException(source + ": line " + from + ": no -----END " + label + "----- for this BEGIN");
        }

        private static byte[] body(String[] lines, int from, int to, String source) {
            StringBuilder b64 = new StringBuilder();
            for (int j = from; j < to; j++) {
                String line = lines[j].strip();
                if (line.contains(":")) {
                    throw new KeyFileException(source + ": line " + (j + 1) + ": PEM headers (" + line
                            + ") mean an encrypted key; decrypt it first (openssl ec -in KEY -out PLAIN)");
                }
                b64.append(line);
            }
            try {
                byte[] der = Base64.getDecoder().decode(b64.toString());
                if (der.length == 0) {
                    throw new KeyFileException(source + ": line " + from + ": the PEM block is empty");
                }
                return der;
            } catch (IllegalArgumentException e) {
                throw new KeyFileException(source + ": lines " + (from + 1) + ".." + to + ": not base64: " + e.getMessage());
            }
        }
    }
}
