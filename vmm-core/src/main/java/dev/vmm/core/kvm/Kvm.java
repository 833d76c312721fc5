package dev.vmm.core.kvm;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.vmm.core.abi.CName;
import dev.vmm.core.abi.CStruct;
import dev.vmm.core.sys.Errno;
import dev.vmm.core.sys.Fd;
import dev.vmm.core.sys.SysException;
import dev.vmm.core.sys.Syscalls;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/** The KVM system fd ({@code /dev/kvm}): capabilities, supported CPUID, and VM creation. */
public final class Kvm implements AutoCloseable {
    public static final String DEVICE = "/dev/kvm";
    @CName("KVM_API_VERSION") public static final int API_VERSION = 12;
    @CName("KVM_X86_DEFAULT_VM") public static final int VM_TYPE_DEFAULT = 0;
    @CName("KVM_X86_SW_PROTECTED_VM") public static final int VM_TYPE_SW_PROTECTED = 1;
    @CName("KVM_X86_SEV_VM") public static final int VM_TYPE_SEV = 2;
    @CName("KVM_X86_SEV_ES_VM") public static final int VM_TYPE_SEV_ES = 3;
    @CName("KVM_X86_SNP_VM") public static final int VM_TYPE_SNP = 4;
    /** More leaves than any CPU reports; KVM_GET_SUPPORTED_CPUID fails with E2BIG below the need. */
    private static final int MAX_CPUID_ENTRIES = 256;
    private static final long DEVICE_ATTR_GROUP = CStruct.offset(VmLayouts.KVM_DEVICE_ATTR, "group");
    private static final long DEVICE_ATTR_ATTR = CStruct.offset(VmLayouts.KVM_DEVICE_ATTR, "attr");
    private static final long DEVICE_ATTR_ADDR = CStruct.offset(VmLayouts.KVM_DEVICE_ATTR, "addr");

    private final Fd fd;
    private final int vcpuMmapSize;

    private Kvm(Fd fd, String path) {
        this.fd = fd;
        int version = Syscalls.ioctlOrErrno(fd, KvmIoctls.KVM_GET_API_VERSION, 0L);
        if (version < 0) {
            fd.close();
            throw new KvmUnavailableException(path + ": not a KVM device (KVM_GET_API_VERSION: "
                    + Errno.describe(-version) + ")", null);
        }
        if (version != API_VERSION) {
            fd.close();
            throw new KvmUnavailableException(path + ": KVM API version " + version + ", this VMM needs "
                    + API_VERSION, null);
        }
        this.vcpuMmapSize = Syscalls.ioctl(fd, KvmIoctls.KVM_GET_VCPU_MMAP_SIZE, 0L);
    }

    /** Opens {@code /dev/kvm}; a missing or inaccessible device becomes a {@link KvmUnavailableException}. */
    public static Kvm open() {
        return open(DEVICE);
    }

    public static Kvm open(String path) {
        Fd fd;
        try {
            fd = Syscalls.open(path, Syscalls.O_RDWR);
        } catch (SysException e) {
            String hint = switch (e.errno()) {
                case Errno.ENOENT -> "KVM is not available on this host: load kvm_intel or kvm_amd and enable "
                        + "virtualization in the firmware";
                case Errno.EACCES, Errno.EPERM -> "no permission to use KVM: add this user to the group that owns "
                        + path + " (usually kvm) or run as root";
                default -> "cannot open the KVM device";
            };
            throw new KvmUnavailableException(path + ": " + Errno.describe(e.errno()) + ": " + hint, e);
        }
        return new Kvm(fd, path);
    }

    public int checkExtension(KvmCap cap) {
        return Syscalls.ioctl(fd, KvmIoctls.KVM_CHECK_EXTENSION, cap.number());
    }

    /** Bit {@code n} set: VM type {@code n} can be created. Kernels before 6.8 offer only the default. */
    public long supportedVmTypes() {
        int types = checkExtension(KvmCap.VM_TYPES);
        return types == 0 ? 1L << VM_TYPE_DEFAULT : types;
    }

    public int vcpuMmapSize() {
        return vcpuMmapSize;
    }

    /**
     * KVM_GET_SUPPORTED_CPUID, asked once per handle: the answer is fixed, and a machine's build asks
     * for it from several places (the boot method, the memory limits, the confidential launch).
     */
    public List<CpuidEntry> supportedCpuid() {
        List<CpuidEntry> cached = supportedCpuid;
        if (cached == null) {
            cached = supportedCpuid = List.copyOf(readSupportedCpuid());
        }
        return cached;
    }

    private volatile List<CpuidEntry> supportedCpuid;

    private List<CpuidEntry> readSupportedCpuid() {
        long header = RegsLayouts.KVM_CPUID2.byteSize();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(header + MAX_CPUID_ENTRIES * CpuidEntry.SIZE, 8);
            buf.set(JAVA_INT, 0, MAX_CPUID_ENTRIES);
            Syscalls.ioctl(fd, KvmIoctls.KVM_GET_SUPPORTED_CPUID, buf);
            int n = buf.get(JAVA_INT, 0);
            List<CpuidEntry> entries = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                entries.add(CpuidEntry.read(buf, header + i * CpuidEntry.SIZE));
            }
            return entries;
        }
    }

    /** A system device attribute (KVM_GET_DEVICE_ATTR), empty if this kernel does not have it. */
    public OptionalLong deviceAttribute(int group, long attr) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(JAVA_LONG);
            MemorySegment a = arena.allocate(VmLayouts.KVM_DEVICE_ATTR);
            a.set(JAVA_INT, DEVICE_ATTR_GROUP, group);
            a.set(JAVA_LONG, DEVICE_ATTR_ATTR, attr);
            a.set(JAVA_LONG, DEVICE_ATTR_ADDR, value.address());
            if (checkExtension(KvmCap.SYS_ATTRIBUTES) == 0
                    || Syscalls.ioctlOrErrno(fd, KvmIoctls.KVM_HAS_DEVICE_ATTR, a) < 0) {
                return OptionalLong.empty();
            }
            Syscalls.ioctl(fd, KvmIoctls.KVM_GET_DEVICE_ATTR, a);
            return OptionalLong.of(value.get(JAVA_LONG, 0));
        }
    }

    public VmFd createVm(int type) {
        int vm = Syscalls.ioctl(fd, KvmIoctls.KVM_CREATE_VM, type);
        return new VmFd(new Fd(vm, "vm"), vcpuMmapSize);
    }

    @Override
    public void close() {
        fd.close();
    }
}
