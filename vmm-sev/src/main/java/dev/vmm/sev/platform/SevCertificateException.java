package dev.vmm.sev.platform;

/** A SEV certificate that cannot be read or checked; the message names the field and its offset. */
public final class SevCertificateException extends PlatformException {
    public SevCertificateException(String message) {
        super(message);
    }
}
