package dev.vmm.core.kvm;

import static dev.vmm.core.sys.Ioctl.io;
import static dev.vmm.core.sys.Ioctl.ior;
import static dev.vmm.core.sys.Ioctl.iow;
import static dev.vmm.core.sys.Ioctl.iowr;

import dev.vmm.core.sys.Ioctl;
import java.lang.foreign.ValueLayout;

/**
 * Every KVM ioctl the VMM issues, encoded as linux/kvm.h does: the size is that of the struct the
 * header's macro names, which is not always what is passed (KVM_MEMORY_ENCRYPT_OP names an
 * {@code unsigned long} but takes a {@code struct kvm_sev_cmd}).
 */
public final class KvmIoctls {
    private static final int KVMIO = 0xAE;

    // System fd (/dev/kvm).
    public static final Ioctl KVM_GET_API_VERSION = io("KVM_GET_API_VERSION", KVMIO, 0x00);
    public static final Ioctl KVM_CREATE_VM = io("KVM_CREATE_VM", KVMIO, 0x01);
    public static final Ioctl KVM_GET_MSR_INDEX_LIST =
            iowr("KVM_GET_MSR_INDEX_LIST", KVMIO, 0x02, RegsLayouts.KVM_MSR_LIST.byteSize());
    public static final Ioctl KVM_CHECK_EXTENSION = io("KVM_CHECK_EXTENSION", KVMIO, 0x03);
    public static final Ioctl KVM_GET_VCPU_MMAP_SIZE = io("KVM_GET_VCPU_MMAP_SIZE", KVMIO, 0x04);
    public static final Ioctl KVM_GET_SUPPORTED_CPUID =
            iowr("KVM_GET_SUPPORTED_CPUID", KVMIO, 0x05, RegsLayouts.KVM_CPUID2.byteSize());
    public static final Ioctl KVM_GET_DEVICE_ATTR =
            iow("KVM_GET_DEVICE_ATTR", KVMIO, 0xe2, VmLayouts.KVM_DEVICE_ATTR.byteSize());
    public static final Ioctl KVM_HAS_DEVICE_ATTR =
            iow("KVM_HAS_DEVICE_ATTR", KVMIO, 0xe3, VmLayouts.KVM_DEVICE_ATTR.byteSize());

    // VM fd.
    public static final Ioctl KVM_CREATE_VCPU = io("KVM_CREATE_VCPU", KVMIO, 0x41);
    public static final Ioctl KVM_SET_USER_MEMORY_REGION =
            iow("KVM_SET_USER_MEMORY_REGION", KVMIO, 0x46, VmLayouts.KVM_USERSPACE_MEMORY_REGION.byteSize());
    public static final Ioctl KVM_SET_TSS_ADDR = io("KVM_SET_TSS_ADDR", KVMIO, 0x47);
    public static final Ioctl KVM_SET_IDENTITY_MAP_ADDR =
            iow("KVM_SET_IDENTITY_MAP_ADDR", KVMIO, 0x48, ValueLayout.JAVA_LONG.byteSize());
    public static final Ioctl KVM_SET_USER_MEMORY_REGION2 =
            iow("KVM_SET_USER_MEMORY_REGION2", KVMIO, 0x49, VmLayouts.KVM_USERSPACE_MEMORY_REGION2.byteSize());
    public static final Ioctl KVM_CREATE_IRQCHIP = io("KVM_CREATE_IRQCHIP", KVMIO, 0x60);
    public static final Ioctl KVM_IRQ_LINE = iow("KVM_IRQ_LINE", KVMIO, 0x61, VmLayouts.KVM_IRQ_LEVEL.byteSize());
    public static final Ioctl KVM_SET_GSI_ROUTING =
            iow("KVM_SET_GSI_ROUTING", KVMIO, 0x6a, VmLayouts.KVM_IRQ_ROUTING.byteSize());
    public static final Ioctl KVM_IRQFD = iow("KVM_IRQFD", KVMIO, 0x76, VmLayouts.KVM_IRQFD.byteSize());
    public static final Ioctl KVM_CREATE_PIT2 =
            iow("KVM_CREATE_PIT2", KVMIO, 0x77, VmLayouts.KVM_PIT_CONFIG.byteSize());
    public static final Ioctl KVM_IOEVENTFD =
            iow("KVM_IOEVENTFD", KVMIO, 0x79, VmLayouts.KVM_IOEVENTFD.byteSize());
    public static final Ioctl KVM_ENABLE_CAP =
            iow("KVM_ENABLE_CAP", KVMIO, 0xa3, VmLayouts.KVM_ENABLE_CAP.byteSize());
    public static final Ioctl KVM_SIGNAL_MSI = iow("KVM_SIGNAL_MSI", KVMIO, 0xa5, VmLayouts.KVM_MSI.byteSize());
    public static final Ioctl KVM_MEMORY_ENCRYPT_OP =
            iowr("KVM_MEMORY_ENCRYPT_OP", KVMIO, 0xba, ValueLayout.JAVA_LONG.byteSize());
    // _IOR in the header although the kernel only reads the struct.
    public static final Ioctl KVM_MEMORY_ENCRYPT_REG_REGION =
            ior("KVM_MEMORY_ENCRYPT_REG_REGION", KVMIO, 0xbb, VmLayouts.KVM_ENC_REGION.byteSize());
    public static final Ioctl KVM_MEMORY_ENCRYPT_UNREG_REGION =
            ior("KVM_MEMORY_ENCRYPT_UNREG_REGION", KVMIO, 0xbc, VmLayouts.KVM_ENC_REGION.byteSize());
    public static final Ioctl KVM_SET_MEMORY_ATTRIBUTES =
            iow("KVM_SET_MEMORY_ATTRIBUTES", KVMIO, 0xd2, VmLayouts.KVM_MEMORY_ATTRIBUTES.byteSize());
    public static final Ioctl KVM_CREATE_GUEST_MEMFD =
            iowr("KVM_CREATE_GUEST_MEMFD", KVMIO, 0xd4, VmLayouts.KVM_CREATE_GUEST_MEMFD.byteSize());

    // vCPU fd.
    public static final Ioctl KVM_RUN = io("KVM_RUN", KVMIO, 0x80);
    public static final Ioctl KVM_GET_REGS = ior("KVM_GET_REGS", KVMIO, 0x81, RegsLayouts.KVM_REGS.byteSize());
    public static final Ioctl KVM_SET_REGS = iow("KVM_SET_REGS", KVMIO, 0x82, RegsLayouts.KVM_REGS.byteSize());
    public static final Ioctl KVM_GET_SREGS = ior("KVM_GET_SREGS", KVMIO, 0x83, RegsLayouts.KVM_SREGS.byteSize());
    public static final Ioctl KVM_SET_SREGS = iow("KVM_SET_SREGS", KVMIO, 0x84, RegsLayouts.KVM_SREGS.byteSize());
    public static final Ioctl KVM_GET_MSRS = iowr("KVM_GET_MSRS", KVMIO, 0x88, RegsLayouts.KVM_MSRS.byteSize());
    public static final Ioctl KVM_SET_MSRS = iow("KVM_SET_MSRS", KVMIO, 0x89, RegsLayouts.KVM_MSRS.byteSize());
    public static final Ioctl KVM_SET_SIGNAL_MASK =
            iow("KVM_SET_SIGNAL_MASK", KVMIO, 0x8b, VmLayouts.KVM_SIGNAL_MASK.byteSize());
    public static final Ioctl KVM_GET_FPU = ior("KVM_GET_FPU", KVMIO, 0x8c, RegsLayouts.KVM_FPU.byteSize());
    public static final Ioctl KVM_SET_FPU = iow("KVM_SET_FPU", KVMIO, 0x8d, RegsLayouts.KVM_FPU.byteSize());
    public static final Ioctl KVM_SET_CPUID2 = iow("KVM_SET_CPUID2", KVMIO, 0x90, RegsLayouts.KVM_CPUID2.byteSize());
    public static final Ioctl KVM_GET_CPUID2 = iowr("KVM_GET_CPUID2", KVMIO, 0x91, RegsLayouts.KVM_CPUID2.byteSize());
    public static final Ioctl KVM_GET_MP_STATE =
            ior("KVM_GET_MP_STATE", KVMIO, 0x98, RegsLayouts.KVM_MP_STATE.byteSize());
    public static final Ioctl KVM_SET_MP_STATE =
            iow("KVM_SET_MP_STATE", KVMIO, 0x99, RegsLayouts.KVM_MP_STATE.byteSize());
    public static final Ioctl KVM_GET_XSAVE = ior("KVM_GET_XSAVE", KVMIO, 0xa4, RegsLayouts.KVM_XSAVE.byteSize());
    public static final Ioctl KVM_SET_XSAVE = iow("KVM_SET_XSAVE", KVMIO, 0xa5, RegsLayouts.KVM_XSAVE.byteSize());
    public static final Ioctl KVM_GET_XCRS = ior("KVM_GET_XCRS", KVMIO, 0xa6, RegsLayouts.KVM_XCRS.byteSize());
    public static final Ioctl KVM_SET_XCRS = iow("KVM_SET_XCRS", KVMIO, 0xa7, RegsLayouts.KVM_XCRS.byteSize());

    private KvmIoctls() {}
}
