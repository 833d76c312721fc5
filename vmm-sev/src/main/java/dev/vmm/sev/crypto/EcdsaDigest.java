package dev.vmm.sev.crypto;

/** The hash an AMD ECDSA signature is taken over: SHA-384 for SNP, SHA-256 or SHA-384 for SEV certificates. */
public enum EcdsaDigest {
    SHA256,
    SHA384;

    /** The JDK algorithm that signs this hash with r and s as fixed-size big-endian integers (IEEE P1363). */
    String jcaAlgorithm() {
        return name() + "withECDSAinP1363Format";
    }
}
