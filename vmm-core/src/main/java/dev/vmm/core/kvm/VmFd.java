package dev.vmm.core.kvm;

import static dev.vmm.core.abi.CStruct.offset;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.vmm.core.abi.CName;
import dev.vmm.core.sys.EventFd;
import dev.vmm.core.sys.Fd;
import dev.vmm.core.sys.Ioctl;
import dev.vmm.core.sys.Mmap;
import dev.vmm.core.sys.SysException;
import dev.vmm.core.sys.Syscalls;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A VM fd: memory slots (and the numbers for them), vCPUs, the in-kernel irqchip and PIT, GSI routing,
 * irqfd/ioeventfd, SEV commands.
 */
public final class VmFd implements AutoCloseable {
    @CName("KVM_MEM_LOG_DIRTY_PAGES") public static final int MEM_LOG_DIRTY_PAGES = 1;
    @CName("KVM_MEM_READONLY") public static final int MEM_READONLY = 2;
    @CName("KVM_MEM_GUEST_MEMFD") public static final int MEM_GUEST_MEMFD = 4;
    @CName("KVM_MEMORY_ATTRIBUTE_PRIVATE") public static final long MEMORY_ATTRIBUTE_PRIVATE = 1L << 3;
    @CName("KVM_IRQFD_FLAG_DEASSIGN") public static final int IRQFD_FLAG_DEASSIGN = 1;
    @CName("KVM_IOEVENTFD_FLAG_DATAMATCH") public static final int IOEVENTFD_FLAG_DATAMATCH = 1;
    @CName("KVM_IOEVENTFD_FLAG_PIO") public static final int IOEVENTFD_FLAG_PIO = 2;
    @CName("KVM_IOEVENTFD_FLAG_DEASSIGN") public static final int IOEVENTFD_FLAG_DEASSIGN = 4;
    @CName("KVM_PIT_SPEAKER_DUMMY") public static final int PIT_SPEAKER_DUMMY = 1;

    private static final long REGION2_GMEM_OFFSET = offset(VmLayouts.KVM_USERSPACE_MEMORY_REGION2, "guest_memfd_offset");
    private static final long REGION2_GMEM = offset(VmLayouts.KVM_USERSPACE_MEMORY_REGION2, "guest_memfd");
    private static final long IRQ_LEVEL_LEVEL = offset(VmLayouts.KVM_IRQ_LEVEL, "level");
    private static final long IRQFD_GSI = offset(VmLayouts.KVM_IRQFD, "gsi");
    private static final long IRQFD_FLAGS = offset(VmLayouts.KVM_IRQFD, "flags");
    private static final long IOEVENTFD_ADDR = offset(VmLayouts.KVM_IOEVENTFD, "addr");
    private static final long IOEVENTFD_LEN = offset(VmLayouts.KVM_IOEVENTFD, "len");
    private static final long IOEVENTFD_FD = offset(VmLayouts.KVM_IOEVENTFD, "fd");
    private static final long IOEVENTFD_FLAGS = offset(VmLayouts.KVM_IOEVENTFD, "flags");
    private static final long ENABLE_CAP_ARGS = offset(VmLayouts.KVM_ENABLE_CAP, "args");
    private static final long ATTRIBUTES_SIZE = offset(VmLayouts.KVM_MEMORY_ATTRIBUTES, "size");
    private static final long ATTRIBUTES_ATTRIBUTES = offset(VmLayouts.KVM_MEMORY_ATTRIBUTES, "attributes");
    private static final long ENC_REGION_SIZE = offset(VmLayouts.KVM_ENC_REGION, "size");
    private static final long IOEVENTFD_DATAMATCH = offset(VmLayouts.KVM_IOEVENTFD, "datamatch");
    private static final long MSI_ADDRESS_HI = offset(VmLayouts.KVM_MSI, "address_hi");
    private static final long MSI_DATA = offset(VmLayouts.KVM_MSI, "data");
    private static final ThreadLocal<MemorySegment> IRQ_LEVEL =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(VmLayouts.KVM_IRQ_LEVEL));

    private final Fd fd;
    private final int vcpuMmapSize;
    private final MemorySlotIds slots = new MemorySlotIds(() -> checkExtension(KvmCap.NR_MEMSLOTS));

    VmFd(Fd fd, int vcpuMmapSize) {
        this.fd = fd;
        this.vcpuMmapSize = vcpuMmapSize;
    }

    /**
     * A memory slot number no other part of the VMM holds, for {@link #setUserMemoryRegion} and its
     * kin; fails with a message naming KVM_CAP_NR_MEMSLOTS when all are taken. The setters themselves
     * take any number (tests place fixed slots), so VMM code takes its numbers only from here.
     */
    public int allocateMemorySlot() {
        return slots.allocate();
    }

    /** Gives back a number from {@link #allocateMemorySlot}, once its slot is deleted. */
    public void releaseMemorySlot(int slot) {
        slots.release(slot);
    }

    /** KVM_CAP_NR_MEMSLOTS: slot numbers go from 0 to one below this. */
    public int memorySlotLimit() {
        return slots.limit();
    }

    /** The fd, for commands of other modules that go through this VM (KVM_MEMORY_ENCRYPT_OP). */
    public Fd fd() {
        return fd;
    }

    public int checkExtension(KvmCap cap) {
        return Syscalls.ioctl(fd, KvmIoctls.KVM_CHECK_EXTENSION, cap.number());
    }

    public void enableCap(KvmCap cap, long... args) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(VmLayouts.KVM_ENABLE_CAP);
            s.set(JAVA_INT, 0, cap.number());
            for (int i = 0; i < args.length; i++) {
                s.set(JAVA_LONG, ENABLE_CAP_ARGS + 8L * i, args[i]);
            }
            Syscalls.ioctl(fd, KvmIoctls.KVM_ENABLE_CAP, s);
        }
    }

    /**
     * The most pages one memory slot holds: KVM_MEM_MAX_NR_PAGES, (1 << 31) - 1 (include/linux/kvm_host.h,
     * not UAPI, so {@code MemorySlotLimitTest} asks the running kernel); one more is EINVAL.
     */
    public static final long MAX_SLOT_PAGES = (1L << 31) - 1;

    /** KVM_SET_USER_MEMORY_REGION: the host range backs guest-physical {@code [gpa, gpa + size)}. */
    public void setUserMemoryRegion(int slot, int flags, long gpa, MemorySegment host) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(VmLayouts.KVM_USERSPACE_MEMORY_REGION);
            fillRegion(s, slot, flags, gpa, host.byteSize(), host.address());
            Syscalls.ioctl(fd, KvmIoctls.KVM_SET_USER_MEMORY_REGION, s);
        }
    }

    /** KVM_SET_USER_MEMORY_REGION2, with an optional guest_memfd private backing. */
    public void setUserMemoryRegion2(int slot, int flags, long gpa, MemorySegment host, Fd guestMemfd,
                                     long guestMemfdOffset) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(VmLayouts.KVM_USERSPACE_MEMORY_REGION2);
            fillRegion(s, slot, flags, gpa, host.byteSize(), host.address());
            if (guestMemfd != null) {
                s.set(JAVA_LONG, REGION2_GMEM_OFFSET, guestMemfdOffset);
                s.set(JAVA_INT, REGION2_GMEM, guestMemfd.raw());
            }
            Syscalls.ioctl(fd, KvmIoctls.KVM_SET_USER_MEMORY_REGION2, s);
        }
    }

    /** Deletes a slot (size 0), in either ioctl's form. */
    public void deleteUserMemoryRegion(int slot) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(VmLayouts.KVM_USERSPACE_MEMORY_REGION);
            fillRegion(s, slot, 0, 0, 0, 0);
            Syscalls.ioctl(fd, KvmIoctls.KVM_SET_USER_MEMORY_REGION, s);
        }
    }

    private static void fillRegion(MemorySegment s, int slot, int flags, long gpa, long size, long userAddr) {
        s.set(JAVA_INT, 0, slot);
        s.set(JAVA_INT, 4, flags);
        s.set(JAVA_LONG, 8, gpa);
        s.set(JAVA_LONG, 16, size);
        s.set(JAVA_LONG, 24, userAddr);
    }

    /** Three pages of guest-physical space KVM uses for the real-mode TSS on Intel hosts. */
    public void setTssAddr(long gpa) {
        Syscalls.ioctl(fd, KvmIoctls.KVM_SET_TSS_ADDR, gpa);
    }

    /** One page for the EPT identity map on Intel hosts; must not overlap RAM the guest uses. */
    public void setIdentityMapAddr(long gpa) {
        try (Arena arena = Arena.ofConfined()) {
            Syscalls.ioctl(fd, KvmIoctls.KVM_SET_IDENTITY_MAP_ADDR, arena.allocateFrom(JAVA_LONG, gpa));
        }
    }

    /** The in-kernel PIC pair, IOAPIC and a LAPIC per vCPU; must come before the vCPUs. */
    public void createIrqchip() {
        Syscalls.ioctl(fd, KvmIoctls.KVM_CREATE_IRQCHIP, 0L);
    }

    public void createPit2(int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(VmLayouts.KVM_PIT_CONFIG);
            s.set(JAVA_INT, 0, flags);
            Syscalls.ioctl(fd, KvmIoctls.KVM_CREATE_PIT2, s);
        }
    }

    /** Drives a GSI of the in-kernel irqchip to {@code level}; callable from any thread. */
    public void irqLine(int gsi, boolean level) {
        MemorySegment s = IRQ_LEVEL.get();
        s.set(JAVA_INT, 0, gsi);
        s.set(JAVA_INT, IRQ_LEVEL_LEVEL, level ? 1 : 0);
        Syscalls.ioctl(fd, KvmIoctls.KVM_IRQ_LINE, s);
    }

    /** Each write to {@code event} raises {@code gsi} (edge) in the kernel, without a userspace exit. */
    public void irqfd(EventFd event, int gsi, boolean deassign) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(VmLayouts.KVM_IRQFD);
            s.set(JAVA_INT, 0, event.fd().raw());
            s.set(JAVA_INT, IRQFD_GSI, gsi);
            s.set(JAVA_INT, IRQFD_FLAGS, deassign ? IRQFD_FLAG_DEASSIGN : 0);
            int r = Syscalls.ioctlOrErrno(fd, KvmIoctls.KVM_IRQFD, s);
            if (r < 0) {
                throw new SysException(KvmIoctls.KVM_IRQFD.name(), -r, "GSI " + gsi + (deassign ? ", deassign" : ""));
            }
        }
    }

    /**
     * KVM_SET_GSI_ROUTING: {@code table} becomes the whole routing table (the defaults KVM_CREATE_IRQCHIP
     * installed included: start from {@link GsiRoutingTable#pcDefault()}). Irqfds follow their GSI's new
     * route at once.
     */
    public void setGsiRouting(GsiRoutingTable table) {
        int max = checkExtension(KvmCap.IRQ_ROUTING);
        if (table.highestGsi() >= max) {
            throw new IllegalArgumentException("KVM_SET_GSI_ROUTING: GSI " + table.highestGsi()
                    + " is beyond this KVM's " + max + " routes (KVM_CAP_IRQ_ROUTING)");
        }
        try (Arena arena = Arena.ofConfined()) {
            int r = Syscalls.ioctlOrErrno(fd, KvmIoctls.KVM_SET_GSI_ROUTING, table.encode(arena));
            if (r < 0) {
                throw new SysException(KvmIoctls.KVM_SET_GSI_ROUTING.name(), -r, table.toString());
            }
        }
    }

    /**
     * KVM_SIGNAL_MSI: delivers one MSI without a route. Returns how many vCPUs took it, 0 if it was
     * coalesced or the LAPIC is software-disabled. A message that matches no vCPU makes the kernel
     * return -1, which arrives as EPERM.
     */
    public int signalMsi(long address, int data) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(VmLayouts.KVM_MSI);
            s.set(JAVA_INT, 0, (int) address);
            s.set(JAVA_INT, MSI_ADDRESS_HI, (int) (address >>> 32));
            s.set(JAVA_INT, MSI_DATA, data);
            return Syscalls.ioctl(fd, KvmIoctls.KVM_SIGNAL_MSI, s);
        }
    }

    /** A guest write of {@code len} bytes at {@code addr} signals {@code event} instead of exiting. */
    public void ioeventfd(EventFd event, long addr, int len, boolean pio, boolean deassign) {
        ioeventfd(event, addr, len, pio, false, 0, deassign);
    }

    /**
     * As {@link #ioeventfd(EventFd, long, int, boolean, boolean)}, but only a write of {@code datamatch}
     * signals (a virtio notify register shared by queues); other writes exit as before. Deassigning
     * needs the same address, length and datamatch.
     */
    public void ioeventfd(EventFd event, long addr, int len, boolean pio, long datamatch, boolean deassign) {
        ioeventfd(event, addr, len, pio, true, datamatch, deassign);
    }

    private void ioeventfd(EventFd event, long addr, int len, boolean pio, boolean match, long datamatch,
                           boolean deassign) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(VmLayouts.KVM_IOEVENTFD);
            s.set(JAVA_LONG, IOEVENTFD_DATAMATCH, datamatch);
            s.set(JAVA_LONG, IOEVENTFD_ADDR, addr);
            s.set(JAVA_INT, IOEVENTFD_LEN, len);
            s.set(JAVA_INT, IOEVENTFD_FD, event.fd().raw());
            s.set(JAVA_INT, IOEVENTFD_FLAGS, (pio ? IOEVENTFD_FLAG_PIO : 0) | (match ? IOEVENTFD_FLAG_DATAMATCH : 0)
                    | (deassign ? IOEVENTFD_FLAG_DEASSIGN : 0));
            int r = Syscalls.ioctlOrErrno(fd, KvmIoctls.KVM_IOEVENTFD, s);
            if (r < 0) {
                throw new SysException(KvmIoctls.KVM_IOEVENTFD.name(), -r, String.format("%s 0x%x, %d bytes%s%s",
                        pio ? "port" : "mmio", addr, len, match ? ", datamatch 0x" + Long.toHexString(datamatch) : "",
                        deassign ? ", deassign" : ""));
            }
        }
    }

    public Fd createGuestMemfd(long size, long flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(VmLayouts.KVM_CREATE_GUEST_MEMFD);
            s.set(JAVA_LONG, 0, size);
            s.set(JAVA_LONG, 8, flags);
            return new Fd(Syscalls.ioctl(fd, KvmIoctls.KVM_CREATE_GUEST_MEMFD, s), "guest_memfd");
        }
    }

    public void setMemoryAttributes(long gpa, long size, long attributes) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(VmLayouts.KVM_MEMORY_ATTRIBUTES);
            s.set(JAVA_LONG, 0, gpa);
            s.set(JAVA_LONG, ATTRIBUTES_SIZE, size);
            s.set(JAVA_LONG, ATTRIBUTES_ATTRIBUTES, attributes);
            Syscalls.ioctl(fd, KvmIoctls.KVM_SET_MEMORY_ATTRIBUTES, s);
        }
    }

    /** KVM_MEMORY_ENCRYPT_OP with a {@code struct kvm_sev_cmd}: the result, or {@code -errno}. */
    public int memoryEncryptOp(MemorySegment sevCmd) {
        return Syscalls.ioctlOrErrno(fd, KvmIoctls.KVM_MEMORY_ENCRYPT_OP, sevCmd);
    }

    /**
     * KVM_MEMORY_ENCRYPT_REG_REGION (SEV, SEV-ES): pins the host range backing guest RAM for the VM's
     * lifetime, so that the pages LAUNCH_UPDATE_DATA encrypts in place never move. Counts against
     * RLIMIT_MEMLOCK unless the process has CAP_IPC_LOCK.
     */
    public void registerEncryptedRegion(MemorySegment host) {
        encRegion(KvmIoctls.KVM_MEMORY_ENCRYPT_REG_REGION, host);
    }

    /** KVM_MEMORY_ENCRYPT_UNREG_REGION: the exact range given to {@link #registerEncryptedRegion}. */
    public void unregisterEncryptedRegion(MemorySegment host) {
        encRegion(KvmIoctls.KVM_MEMORY_ENCRYPT_UNREG_REGION, host);
    }

    private void encRegion(Ioctl ioctl, MemorySegment host) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(VmLayouts.KVM_ENC_REGION);
            s.set(JAVA_LONG, 0, host.address());
            s.set(JAVA_LONG, ENC_REGION_SIZE, host.byteSize());
            Syscalls.ioctl(fd, ioctl, s);
        }
    }

    public VcpuFd createVcpu(int id) {
        Fd vcpu = new Fd(Syscalls.ioctl(fd, KvmIoctls.KVM_CREATE_VCPU, id), "vcpu" + id);
        try {
            Mmap run = Mmap.file(vcpu, vcpuMmapSize, Mmap.PROT_READ | Mmap.PROT_WRITE, 0, "kvm_run of vcpu" + id);
            return new VcpuFd(id, vcpu, run);
        } catch (RuntimeException e) {
            vcpu.close();
            throw e;
        }
    }

    @Override
    public void close() {
        fd.close();
    }
}
