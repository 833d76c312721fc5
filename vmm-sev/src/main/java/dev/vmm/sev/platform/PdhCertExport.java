package dev.vmm.sev.platform;

/**
 * What PDH_CERT_EXPORT hands back: the PDH certificate and the chain that vouches for it, PEK, OCA and
 * CEK in that order, each one {@link SevCertificate#SIZE} bytes.
 */
public record PdhCertExport(byte[] pdh, byte[] chain) {
    public SevCertificate pdhCertificate() {
        return SevCertificate.parse(pdh, "PDH certificate");
    }

    /** The chain's certificate at {@code index} (0 PEK, 1 OCA, 2 CEK). */
    public SevCertificate chainCertificate(int index) {
        String[] names = {"PEK", "OCA", "CEK"};
        int at = index * SevCertificate.SIZE;
        if (index < 0 || index > 2 || chain.length < at + SevCertificate.SIZE) {
            throw new PlatformException("certificate chain of " + chain.length + " bytes has no certificate " + index);
        }
        return SevCertificate.parse(java.util.Arrays.copyOfRange(chain, at, at + SevCertificate.SIZE),
                "chain " + names[index] + " certificate (offset 0x" + Integer.toHexString(at) + ")");
    }
}
