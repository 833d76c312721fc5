package dev.vmm.sev.psp;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import dev.vmm.core.sys.Errno;
import dev.vmm.memory.GuestAddress;
import dev.vmm.memory.GuestMemory;
import dev.vmm.memory.MemoryAttributes;
import dev.vmm.sev.SevMode;
import dev.vmm.sev.attest.GuestPolicy;
import dev.vmm.sev.cpuid.SnpCpuidAdjust;
import dev.vmm.sev.cpuid.SnpCpuidTable;
import dev.vmm.sev.idblock.IdAuthInfo;
import dev.vmm.sev.idblock.IdBlock;
import dev.vmm.sev.idblock.IdBlockException;
import dev.vmm.sev.idblock.IdBlockVerifier;
import dev.vmm.sev.measure.PageType;
import dev.vmm.sev.measure.SevLaunchDigest;
import dev.vmm.sev.measure.SnpLaunchDigest;
import dev.vmm.sev.vmsa.LaunchVcpuState;
import dev.vmm.sev.vmsa.Vmsa;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A model of the SEV firmware and of KVM's checks in front of it, for hosts without SEV hardware.
 * SIMULATED: guest memory is not encrypted and nothing is attested by a real chip; what it does model
 * is the command state machine with the kernel's errno and the firmware's status codes for a wrong
 * order or bad arguments, SNP page states, the CPUID page check, the ID block and its signatures, and
 * the launch digests and MEASURE blob the firmware would produce. The rules and codes are those of KVM 6.12 (arch/x86/kvm/svm/sev.c)
 * and the SEV/SNP firmware ABIs as summarised in docs/sev-kvm-abi.md.
 */
public final class SimulatedPsp implements Psp {
    /** The simulated firmware: SEV API and SNP ABI 1.55, build 21. */
    static final int API_MAJOR = 1;
    static final int API_MINOR = 55;
    static final int BUILD = 21;
    /** KVM_X86_SEV_VMSA_FEATURES of the simulated host: DEBUG_SWAP (bit 5). */
    static final long SUPPORTED_VMSA_FEATURES = 1L << 5;
    /** SNP policy bits KVM 6.12 accepts: ABI version, SMT, reserved-1, DEBUG (SINGLE_SOCKET it refuses). */
    static final long SNP_POLICY_SMT = 1L << GuestPolicy.Bit.SMT.bit();
    static final long SNP_POLICY_RESERVED_ONE = 1L << GuestPolicy.RESERVED_MUST_BE_ONE;
    static final long SNP_POLICY_SINGLE_SOCKET = 1L << GuestPolicy.Bit.SINGLE_SOCKET.bit();
    static final long SNP_POLICY_KVM_MASK = 0xffffL | SNP_POLICY_SMT | SNP_POLICY_RESERVED_ONE | 1L << GuestPolicy.Bit.DEBUG.bit();
    static final int SEV_POLICY_ES = 0x4;
    /** Bits 6..15 of the SEV policy are reserved. */
    static final int SEV_POLICY_RESERVED = 0xffc0;

    enum State { UNINIT, LAUNCH_UPDATE, LAUNCH_SECRET, RUNNING }

    private final GuestMemory memory;
    private final MemoryAttributes attributes;
    private final SecureRandom random = new SecureRandom();
    private final byte[] tik = new byte[16];
    private final Set<Long> populated = new HashSet<>();
    private SevMode mode;
    private long vmsaFeatures;
    private State state = State.UNINIT;
    private int policy;
    private long snpPolicy;
    private boolean vmsasEncrypted;
    private SevLaunchDigest sevDigest;
    private SnpLaunchDigest snpDigest;

    public SimulatedPsp(GuestMemory memory, MemoryAttributes attributes) {
        this.memory = memory;
        this.attributes = attributes;
        random.nextBytes(tik);
    }

    @Override
    public String description() {
        return "simulated PSP (SIMULATED: no SEV hardware; guest memory is not encrypted)";
    }

    @Override
    public boolean isSimulated() {
        return true;
    }

    /** The launch digest the simulated firmware holds now. */
    public byte[] launchDigest() {
        return snpDigest != null ? snpDigest.digest() : sevDigest != null ? sevDigest.digest() : new byte[0];
    }

    @Override
    public void init(SevMode mode, long vmsaFeatures) {
        String cmd = "KVM_SEV_INIT2";
        if (this.mode != null) {
            throw new PspException(cmd, Errno.EINVAL, 0, "the VM is already a " + this.mode.runName() + " VM");
        }
        if ((vmsaFeatures & 1) != 0) {
            throw new PspException(cmd, Errno.EINVAL, 0, "SNP_ACTIVE (bit 0) is KVM's to set, not an input");
        }
        if (mode == SevMode.SEV ? vmsaFeatures != 0 : (vmsaFeatures & ~SUPPORTED_VMSA_FEATURES) != 0) {
            throw new PspException(cmd, Errno.EINVAL, 0, String.format(
                    "vmsa_features 0x%x not in KVM_X86_SEV_VMSA_FEATURES 0x%x", vmsaFeatures,
                    mode == SevMode.SEV ? 0 : SUPPORTED_VMSA_FEATURES));
        }
        this.mode = mode;
        this.vmsaFeatures = mode == SevMode.SEV_SNP ? vmsaFeatures | 1 : vmsaFeatures;
    }

    // SEV and SEV-ES.

    @Override
    public void launchStart(int policy, byte[] guestOwnerDhCert, byte[] session) {
        String cmd = "KVM_SEV_LAUNCH_START";
        requireSevFamily(cmd);
        requireState(cmd, State.UNINIT);
        if ((policy & SEV_POLICY_RESERVED) != 0) {
            throw firmware(cmd, FirmwareError.POLICY_FAILURE, String.format("reserved policy bits 0x%x", policy & SEV_POLICY_RESERVED));
        }
        boolean es = (policy & SEV_POLICY_ES) != 0;
        if (es != (mode == SevMode.SEV_ES)) {
            throw firmware(cmd, FirmwareError.POLICY_FAILURE, mode == SevMode.SEV_ES
                    ? "an SEV-ES guest needs the ES policy bit (0x4)" : "the ES policy bit (0x4) on a plain SEV guest");
        }
        int major = policy >>> 16 & 0xff;
        int minor = policy >>> 24 & 0xff;
        if (major > API_MAJOR || major == API_MAJOR && minor > API_MINOR) {
            throw firmware(cmd, FirmwareError.POLICY_FAILURE, "policy requires API " + major + "." + minor
                    + ", the firmware has " + API_MAJOR + "." + API_MINOR);
        }
        this.policy = policy;
        sevDigest = new SevLaunchDigest();
        state = State.LAUNCH_UPDATE;
    }

    @Override
    public void launchUpdateData(long gpa, MemorySegment range) {
        String cmd = "KVM_SEV_LAUNCH_UPDATE_DATA";
        requireSevFamily(cmd);
        requireState(cmd, State.LAUNCH_UPDATE);
        if (range.byteSize() == 0 || range.byteSize() % 16 != 0) {
            throw firmware(cmd, FirmwareError.INVALID_LEN, "length " + range.byteSize() + " is not a multiple of 16");
        }
        if (range.address() % 16 != 0) {
            throw firmware(cmd, FirmwareError.INVALID_ADDRESS, "address not 16-byte aligned");
        }
        byte[] plain = range.toArray(JAVA_BYTE);
        sevDigest.update(plain, 0, plain.length);
    }

    @Override
    public void launchUpdateVmsa(List<LaunchVcpuState> vcpus) {
        String cmd = "KVM_SEV_LAUNCH_UPDATE_VMSA";
        requireSevFamily(cmd);
        if (mode != SevMode.SEV_ES) {
            throw new PspException(cmd, Errno.ENOTTY, 0, "not an SEV-ES guest");
        }
        requireState(cmd, State.LAUNCH_UPDATE);
        if (vcpus.isEmpty()) {
            throw new PspException(cmd, Errno.EINVAL, 0, "the VM has no vCPU");
        }
        if (vmsasEncrypted) {
            throw new PspException(cmd, Errno.EINVAL, 0, "the vCPUs' state is already protected");
        }
        for (LaunchVcpuState v : vcpus) {
            byte[] page = Vmsa.build(v, vmsaFeatures, true);
            sevDigest.update(page, 0, page.length);
        }
        vmsasEncrypted = true;
    }

    @Override
    public byte[] launchMeasure() {
        String cmd = "KVM_SEV_LAUNCH_MEASURE";
        requireSevFamily(cmd);
        requireState(cmd, State.LAUNCH_UPDATE);
        byte[] mnonce = new byte[16];
        random.nextBytes(mnonce);
        ByteBuffer msg = ByteBuffer.allocate(1 + 3 + 4 + SevLaunchDigest.SIZE + 16).order(ByteOrder.LITTLE_ENDIAN);
        msg.put((byte) 0x04).put((byte) API_MAJOR).put((byte) API_MINOR).put((byte) BUILD).putInt(policy)
                .put(sevDigest.digest()).put(mnonce);
        byte[] measure = hmacSha256(tik, msg.array());
        state = State.LAUNCH_SECRET;
        byte[] blob = Arrays.copyOf(measure, 48);
        System.arraycopy(mnonce, 0, blob, 32, 16);
        return blob;
    }

    @Override
    public void launchSecret(byte[] header, byte[] secret, long gpa, MemorySegment guestRange) {
        String cmd = "KVM_SEV_LAUNCH_SECRET";
        requireSevFamily(cmd);
        requireState(cmd, State.LAUNCH_SECRET);
        if (secret.length == 0 || secret.length > guestRange.byteSize()) {
            throw firmware(cmd, FirmwareError.INVALID_LEN, "secret of " + secret.length + " bytes");
        }
        // SIMULATED: no transport key exchange happened, so the packet is written as given.
        MemorySegment.copy(MemorySegment.ofArray(secret), 0, guestRange, 0, secret.length);
    }

    @Override
    public void launchFinish() {
        String cmd = "KVM_SEV_LAUNCH_FINISH";
        requireSevFamily(cmd);
        requireState(cmd, State.LAUNCH_SECRET);
        state = State.RUNNING;
    }

    @Override
    public GuestStatus guestStatus() {
        if (mode == null) {
            throw new PspException("KVM_SEV_GUEST_STATUS", Errno.ENOTTY, 0, "not an SEV guest");
        }
        return new GuestStatus(state == State.UNINIT ? 0 : 1, mode == SevMode.SEV_SNP ? (int) snpPolicy : policy,
                state.ordinal());
    }

    // SEV-SNP.

    @Override
    public void snpLaunchStart(long policy, byte[] gosvw) {
        String cmd = "KVM_SEV_SNP_LAUNCH_START";
        requireSnp(cmd);
        if (state != State.UNINIT) {
            throw new PspException(cmd, Errno.EINVAL, 0, "the guest context exists already");
        }
        // KVM 6.12 (snp_launch_start) itself insists on SMT and the reserved-1 bit, and refuses
        // SINGLE_SOCKET, before the firmware sees the policy.
        if ((policy & SNP_POLICY_RESERVED_ONE) == 0) {
            throw new PspException(cmd, Errno.EINVAL, 0, "policy bit 17 is reserved and must be 1");
        }
        if ((policy & SNP_POLICY_SMT) == 0) {
            throw new PspException(cmd, Errno.EINVAL, 0, "KVM requires the SMT policy bit (16)");
        }
        if ((policy & SNP_POLICY_SINGLE_SOCKET) != 0) {
            throw new PspException(cmd, Errno.EINVAL, 0, "KVM refuses the SINGLE_SOCKET policy bit (20)");
        }
        if ((policy & ~SNP_POLICY_KVM_MASK) != 0) {
            throw new PspException(cmd, Errno.EINVAL, 0, String.format("policy bits 0x%x are not accepted by KVM",
                    policy & ~SNP_POLICY_KVM_MASK));
        }
        int major = (int) (policy >>> 8 & 0xff);
        int minor = (int) (policy & 0xff);
        if (major > API_MAJOR || major == API_MAJOR && minor > API_MINOR) {
            throw firmware(cmd, FirmwareError.POLICY_FAILURE, "policy requires ABI " + major + "." + minor
                    + ", the firmware has " + API_MAJOR + "." + API_MINOR);
        }
        if (gosvw != null && gosvw.length != 16) {
            throw new PspException(cmd, Errno.EINVAL, 0, "gosvw must be 16 bytes");
        }
        snpPolicy = policy;
        snpDigest = new SnpLaunchDigest();
        state = State.LAUNCH_UPDATE;
    }

    @Override
    public void snpLaunchUpdate(long gpa, MemorySegment source, long length, PageType type) {
        String cmd = "KVM_SEV_SNP_LAUNCH_UPDATE";
        requireSnp(cmd);
        if (state != State.LAUNCH_UPDATE) {
            throw new PspException(cmd, Errno.EINVAL, 0, "no guest context in launch state");
        }
        if (length <= 0 || length % SnpLaunchDigest.PAGE_SIZE != 0 || gpa % SnpLaunchDigest.PAGE_SIZE != 0) {
            throw new PspException(cmd, Errno.EINVAL, 0, String.format("gpa 0x%x length 0x%x: whole pages only", gpa, length));
        }
        if (type == PageType.VMSA) {
            throw new PspException(cmd, Errno.EINVAL, 0, "VMSA pages come from SNP_LAUNCH_FINISH only");
        }
        if (type != PageType.ZERO && (source == null || source.byteSize() < length)) {
            throw new PspException(cmd, Errno.EINVAL, 0, "no source for " + type.label() + " pages");
        }
        for (long off = 0; off < length; off += SnpLaunchDigest.PAGE_SIZE) {
            long page = gpa + off;
            if (!attributes.isPrivate(page)) {
                throw new PspException(cmd, Errno.EIO, 0, String.format("gpa 0x%x is not private "
                        + "(KVM_SET_MEMORY_ATTRIBUTES first)", page));
            }
            if (populated.contains(page)) {
                throw firmware(cmd, FirmwareError.INVALID_PAGE_STATE, String.format("gpa 0x%x was imported before", page));
            }
            byte[] contents = type == PageType.ZERO ? new byte[SnpLaunchDigest.PAGE_SIZE]
                    : source.asSlice(off, SnpLaunchDigest.PAGE_SIZE).toArray(JAVA_BYTE);
            if (type == PageType.CPUID) {
                checkCpuidPage(cmd, contents, source.asSlice(off, SnpLaunchDigest.PAGE_SIZE));
            }
            if (type == PageType.SECRETS) {
                contents = secretsPage();
            }
            memory.write(GuestAddress.of(page), contents);
            snpDigest.update(type, page, contents, 0);
            populated.add(page);
        }
    }

    /** Refuses the page, as the firmware does, if a leaf has bits it does not allow; writes back its version. */
    private void checkCpuidPage(String cmd, byte[] contents, MemorySegment source) {
        SnpCpuidTable table;
        try {
            table = SnpCpuidTable.parse(contents);
        } catch (IllegalArgumentException e) {
            throw firmware(cmd, FirmwareError.INVALID_PARAM, e.getMessage());
        }
        boolean refused = table.entries().stream().anyMatch(e ->
                SnpCpuidAdjust.hasRefusedBits(e.eaxIn(), e.ecxIn(), e.ebx(), e.ecx(), e.edx()));
        if (refused) {
            var corrected = new SnpCpuidTable(table.entries().stream().map(e -> {
                var fixed = SnpCpuidAdjust.apply(List.of(new dev.vmm.core.kvm.CpuidEntry(e.eaxIn(), e.ecxIn(), 0, e.eax(),
                        e.ebx(), e.ecx(), e.edx()))).getFirst();
                return new SnpCpuidTable.Entry(e.eaxIn(), e.ecxIn(), e.xcr0In(), e.xssIn(), fixed.eax(), fixed.ebx(),
                        fixed.ecx(), fixed.edx());
            }).toList()).page();
            // Like KVM, the firmware's version is copied back over the source buffer.
            MemorySegment.copy(MemorySegment.ofArray(corrected), 0, source, 0, corrected.length);
            throw new CpuidRejectedException(cmd, Errno.EIO, corrected);
        }
    }

    /** SNP ABI secrets page, version 2: the VM platform communication keys (random here). */
    private byte[] secretsPage() {
        ByteBuffer b = ByteBuffer.allocate(SnpLaunchDigest.PAGE_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, 2);
        byte[] keys = new byte[4 * 32];
        random.nextBytes(keys);
        b.put(0x20, keys);
        return b.array();
    }

    @Override
    public void snpLaunchFinish(List<LaunchVcpuState> vcpus, byte[] idBlock, byte[] idAuth, boolean authorKey,
                                byte[] hostData) {
        String cmd = "KVM_SEV_SNP_LAUNCH_FINISH";
        requireSnp(cmd);
        if (state != State.LAUNCH_UPDATE) {
            throw new PspException(cmd, Errno.EINVAL, 0, "no guest context in launch state");
        }
        if (vcpus.isEmpty()) {
            throw new PspException(cmd, Errno.EINVAL, 0, "the VM has no vCPU");
        }
        if (hostData != null && hostData.length != 32) {
            throw new PspException(cmd, Errno.EINVAL, 0, "host data must be 32 bytes");
        }
        byte[] vmsaPage;
        for (LaunchVcpuState v : vcpus) {
            vmsaPage = Vmsa.build(v, vmsaFeatures, true);
            snpDigest.update(PageType.VMSA, SnpLaunchDigest.VMSA_GPA, vmsaPage, 0);
        }
        if (idBlock != null) {
            checkIdBlock(cmd, idBlock, idAuth, authorKey);
        }
        state = State.RUNNING;
    }

    /**
     * The firmware's checks of an ID block (SNP ABI, SNP_LAUNCH_FINISH): the ID authentication must use
     * known algorithms and P-384 keys (INVALID_PARAM otherwise), the ID key must have signed the ID block
     * and, with AUTH_KEY_EN, the author key the ID key (BAD_SIGNATURE); then LD must be the launch digest
     * (BAD_MEASUREMENT) and POLICY the guest policy (POLICY_FAILURE).
     */
    private void checkIdBlock(String cmd, byte[] idBlock, byte[] idAuth, boolean authorKey) {
        if (idBlock.length != IdBlock.SIZE || idAuth == null || idAuth.length != IdAuthInfo.SIZE) {
            throw new PspException(cmd, Errno.EINVAL, 0, "ID block must be 96 bytes and ID auth 4096");
        }
        IdBlockVerifier.Verified id;
        try {
            id = IdBlockVerifier.verify(idBlock, idAuth, authorKey);
        } catch (IdBlockException e) {
            throw firmware(cmd, e.problem() == IdBlockException.Problem.BAD_SIGNATURE ? FirmwareError.BAD_SIGNATURE
                    : FirmwareError.INVALID_PARAM, e.getMessage());
        }
        if (!Arrays.equals(id.block().launchDigest(), snpDigest.digest())) {
            throw firmware(cmd, FirmwareError.BAD_MEASUREMENT, "the ID block's LD "
                    + HexFormat.of().formatHex(id.block().launchDigest()) + " is not the launch digest "
                    + HexFormat.of().formatHex(snpDigest.digest()));
        }
        if (id.block().policy() != snpPolicy) {
            throw firmware(cmd, FirmwareError.POLICY_FAILURE, String.format("ID block policy 0x%x, guest policy 0x%x",
                    id.block().policy(), snpPolicy));
        }
    }

    private void requireSevFamily(String cmd) {
        if (mode == null) {
            throw new PspException(cmd, Errno.ENOTTY, 0, "not an SEV guest (KVM_SEV_INIT2 first)");
        }
        if (mode == SevMode.SEV_SNP) {
            throw new PspException(cmd, Errno.EPERM, 0, "SEV commands are refused on an SNP guest");
        }
    }

    private void requireSnp(String cmd) {
        if (mode != SevMode.SEV_SNP) {
            throw new PspException(cmd, Errno.ENOTTY, 0, "not an SNP guest");
        }
    }

    private void requireState(String cmd, State wanted) {
        if (state != wanted) {
            throw firmware(cmd, state == State.UNINIT ? FirmwareError.INVALID_GUEST : FirmwareError.INVALID_GUEST_STATE,
                    "guest is in " + state + ", the command needs " + wanted);
        }
    }

    private static PspException firmware(String cmd, FirmwareError error, String detail) {
        return new PspException(cmd, Errno.EIO, error.code(), detail);
    }

    private static byte[] hmacSha256(byte[] key, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message);
        } catch (GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
    }
}
