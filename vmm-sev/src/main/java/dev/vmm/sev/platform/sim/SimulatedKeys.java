package dev.vmm.sev.platform.sim;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;

/** P-384 key pairs from the JDK, and their encodings for the state file. */
final class SimulatedKeys {
    private SimulatedKeys() {}

    static KeyPair p384(SecureRandom random) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp384r1"), random);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no P-384", e);
        }
    }

    static KeyPair decode(byte[] pkcs8, byte[] x509) throws GeneralSecurityException {
        KeyFactory f = KeyFactory.getInstance("EC");
        return new KeyPair(f.generatePublic(new X509EncodedKeySpec(x509)), f.generatePrivate(new PKCS8EncodedKeySpec(pkcs8)));
    }
}
