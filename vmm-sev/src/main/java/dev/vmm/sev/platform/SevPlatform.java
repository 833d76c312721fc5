package dev.vmm.sev.platform;

import dev.vmm.sev.tcb.TcbLayout;

/**
 * The SEV platform management commands of {@code /dev/sev} (linux/psp-sev.h, SEV API chapter "Platform
 * Management", SNP ABI "Platform Management"). Every command fails with a {@link dev.vmm.sev.psp.PspException}
 * naming the command, the errno and the firmware status (by its {@code sev_ret_code} name).
 *
 * <p>The kernel moves the platform from UNINIT to INIT by itself before PEK_GEN, PDH_GEN, PEK_CSR,
 * PEK_CERT_IMPORT and PDH_CERT_EXPORT, and shuts it down before FACTORY_RESET, so that these commands
 * fail in the firmware only when a guest keeps the platform WORKING.
 */
public interface SevPlatform extends AutoCloseable {
    String description();

    boolean isSimulated();

    /** The layout of every TCB_VERSION the SNP commands read and write: the CPU generation's. */
    TcbLayout tcbLayout();

    PlatformStatus status();

    /**
     * Needs SNP to be initialised; EINVAL otherwise. On Linux 6.12 the ccp driver initialises it when it
     * probes, whatever kvm_amd's parameters, if the kernel enabled SNP host support (CPU, RMP table
     * reserved by the BIOS, IOMMU on with SNP) and the SEV firmware API is 1.51 or later (below that it
     * leaves SNP off without an error). Later kernels moved the initialisation to kvm_amd's load.
     */
    SnpPlatformStatus snpStatus();

    /** Clears the owner, regenerates PEK and PDH (the platform becomes self-owned). EBUSY while WORKING. */
    void factoryReset();

    /** A new PEK (self-signed by a new OCA) and PDH; INVALID_PLATFORM_STATE unless INIT. */
    void pekGen();

    /** The PEK certificate with both signature slots empty, for an owner's OCA to sign. */
    byte[] pekCsr();

    /** A new PDH; INVALID_PLATFORM_STATE unless INIT. */
    void pdhGen();

    PdhCertExport pdhCertExport();

    /** Takes ownership: the PEK signed by {@code oca}, which is self-signed. */
    void pekCertImport(byte[] pekCert, byte[] ocaCert);

    /** The chip's unique ID (GET_ID2, its length first asked for as the kernel allows). */
    byte[] getId();

    /** Commits the running firmware: no rollback below it; the reported TCB becomes the current one. */
    void snpCommit();

    void snpSetConfig(SnpConfig config);

    /** Loads a VLEK hashstick wrapped for this chip by AMD's key distribution service (432 bytes). */
    void vlekLoad(byte[] wrappedHashstick);

    @Override
    void close();
}
