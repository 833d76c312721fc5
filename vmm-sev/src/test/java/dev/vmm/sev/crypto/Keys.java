package dev.vmm.sev.crypto;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;

/** Fresh key pairs from the JDK, the reference the crypto package is checked against. */
final class Keys {
    private Keys() {}

    static KeyPair ec(String curve) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec(curve));
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String stdName(EcCurve curve) {
        return curve == EcCurve.P256 ? "secp256r1" : "secp384r1";
    }
}
