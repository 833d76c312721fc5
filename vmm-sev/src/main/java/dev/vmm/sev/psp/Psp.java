package dev.vmm.sev.psp;

import dev.vmm.sev.SevMode;
import dev.vmm.sev.measure.PageType;
import dev.vmm.sev.vmsa.LaunchVcpuState;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * The AMD Platform Security Processor as the launch sees it: the guest-launch commands, in the order
 * the SEV and SNP firmware ABIs impose. Backends: {@link KvmPsp} (KVM_MEMORY_ENCRYPT_OP with a
 * {@code /dev/sev} fd) and {@link SimulatedPsp} (a model of the firmware for hosts without SEV).
 *
 * <p>Guest memory is passed as host views of guest-physical ranges ({@link MemorySegment}s from
 * {@code GuestMemory}); the kernel reads (SNP) or encrypts in place (SEV) what lies there.
 */
public interface Psp extends AutoCloseable {
    /** For messages and logs; the simulated backend says that it is simulated. */
    String description();

    boolean isSimulated();

    /**
     * KVM_SEV_INIT2 (or, on a VM of the default type, KVM_SEV_INIT / KVM_SEV_ES_INIT): must come
     * before any vCPU exists.
     *
     * @param vmsaFeatures SEV features for the VMSAs, without SNP_ACTIVE (KVM adds it for SNP)
     */
    void init(SevMode mode, long vmsaFeatures);

    // SEV and SEV-ES.

    void launchStart(int policy, byte[] guestOwnerDhCert, byte[] session);

    /** Encrypts {@code range} (guest memory at {@code gpa}) in place and extends the launch digest. */
    void launchUpdateData(long gpa, MemorySegment range);

    /** SEV-ES: encrypts and measures the VMSA of every vCPU, in index order. */
    void launchUpdateVmsa(List<LaunchVcpuState> vcpus);

    /** The 48-byte measurement: HMAC-SHA-256 over the launch digest with the transport key, then MNONCE. */
    byte[] launchMeasure();

    /** Injects a guest owner's secret (packet header, encrypted secret) at {@code gpa}. */
    void launchSecret(byte[] header, byte[] secret, long gpa, MemorySegment guestRange);

    void launchFinish();

    /** KVM_SEV_GUEST_STATUS: policy and state (0 uninitialised, 1 launch update, 2 launch secret, 3 running). */
    GuestStatus guestStatus();

    // SEV-SNP.

    void snpLaunchStart(long policy, byte[] gosvw);

    /**
     * Imports {@code length} bytes of pages at {@code gpa} (which the VMM made private) as {@code type},
     * copying from {@code source} (ignored for ZERO pages), until every page is done.
     *
     * @throws CpuidRejectedException when the firmware refused a CPUID page
     */
    void snpLaunchUpdate(long gpa, MemorySegment source, long length, PageType type);

    /**
     * Measures the VMSA of every vCPU (built from its register state, in index order), then ends the
     * launch with the optional ID block (96 bytes) and ID authentication (4096 bytes).
     */
    void snpLaunchFinish(List<LaunchVcpuState> vcpus, byte[] idBlock, byte[] idAuth, boolean authorKey,
                         byte[] hostData);

    record GuestStatus(int handle, int policy, int state) {}

    @Override
    void close();
}
