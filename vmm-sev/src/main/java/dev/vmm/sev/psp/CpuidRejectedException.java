package dev.vmm.sev.psp;

/**
 * The firmware refused the SNP CPUID page (INVALID_PARAM) and wrote back the values it would accept;
 * the VMM compares, corrects and retries, as QEMU does.
 */
public class CpuidRejectedException extends PspException {
    private final byte[] firmwarePage;

    public CpuidRejectedException(String command, int errno, byte[] firmwarePage) {
        super(command, errno, FirmwareError.INVALID_PARAM.code(), "the firmware rejected the CPUID page");
        this.firmwarePage = firmwarePage.clone();
    }

    /** The page as the firmware rewrote it. */
    public byte[] firmwarePage() {
        return firmwarePage.clone();
    }
}
