package dev.vmm.core.kvm;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.vmm.core.abi.CName;
import dev.vmm.core.sys.ErrnoSlot;
import dev.vmm.core.sys.Fd;
import dev.vmm.core.sys.KickSignal;
import dev.vmm.core.sys.Mmap;
import dev.vmm.core.sys.SysException;
import dev.vmm.core.sys.Syscalls;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A vCPU fd and its {@code kvm_run} mapping (owned here, unmapped on close). */
public final class VcpuFd implements AutoCloseable {
    @CName("KVM_MP_STATE_RUNNABLE") public static final int MP_STATE_RUNNABLE = 0;
    @CName("KVM_MP_STATE_UNINITIALIZED") public static final int MP_STATE_UNINITIALIZED = 1;
    @CName("KVM_MP_STATE_HALTED") public static final int MP_STATE_HALTED = 3;

    private final int id;
    private final Fd fd;
    private final Mmap runMapping;
    private final KvmRun run;
    /** KVM_RUN's own: only the vCPU thread enters (see {@link ErrnoSlot}). */
    private final ErrnoSlot enterErrno = new ErrnoSlot();

    VcpuFd(int id, Fd fd, Mmap runMapping) {
        this.id = id;
        this.fd = fd;
        this.runMapping = runMapping;
        this.run = new KvmRun(runMapping.segment());
    }

    public int id() {
        return id;
    }

    public KvmRun run() {
        return run;
    }

    /** One KVM_RUN: 0 when the guest exited to us (see {@link #run()}), or {@code -errno} (EINTR on a kick). */
    public int enter() {
        return Syscalls.ioctlOrErrno(fd, KvmIoctls.KVM_RUN, 0L, enterErrno);
    }

    public Regs regs() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(RegsLayouts.KVM_REGS);
            Syscalls.ioctl(fd, KvmIoctls.KVM_GET_REGS, s);
            return Regs.read(s);
        }
    }

    public void setRegs(Regs regs) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(RegsLayouts.KVM_REGS);
            regs.write(s);
            Syscalls.ioctl(fd, KvmIoctls.KVM_SET_REGS, s);
        }
    }

    public Sregs sregs() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(RegsLayouts.KVM_SREGS);
            Syscalls.ioctl(fd, KvmIoctls.KVM_GET_SREGS, s);
            return Sregs.read(s);
        }
    }

    public void setSregs(Sregs sregs) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(RegsLayouts.KVM_SREGS);
            sregs.write(s);
            Syscalls.ioctl(fd, KvmIoctls.KVM_SET_SREGS, s);
        }
    }

    public Fpu fpu() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(RegsLayouts.KVM_FPU);
            Syscalls.ioctl(fd, KvmIoctls.KVM_GET_FPU, s);
            return Fpu.read(s);
        }
    }

    public void setFpu(Fpu fpu) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(RegsLayouts.KVM_FPU);
            fpu.write(s);
            Syscalls.ioctl(fd, KvmIoctls.KVM_SET_FPU, s);
        }
    }

    /**
     * The vCPU's XSAVE image (4096 bytes). Its first 512 bytes are the FXSAVE layout of the x87, MXCSR
     * and XMM state; this host's KVM_GET_FPU loses MXCSR, the XSAVE image does not.
     */
    public byte[] xsave() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(RegsLayouts.KVM_XSAVE);
            Syscalls.ioctl(fd, KvmIoctls.KVM_GET_XSAVE, s);
            return s.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        }
    }

    public void setXsave(byte[] image) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(RegsLayouts.KVM_XSAVE);
            MemorySegment.copy(MemorySegment.ofArray(image), 0, s, 0, Math.min(image.length, s.byteSize()));
            Syscalls.ioctl(fd, KvmIoctls.KVM_SET_XSAVE, s);
        }
    }

    /** Reads MSRs; the result holds those KVM returned, in order (it stops at the first it refuses). */
    public Map<Integer, Long> msrs(int... indices) {
        long header = RegsLayouts.KVM_MSRS.byteSize();
        long entry = RegsLayouts.KVM_MSR_ENTRY.byteSize();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(header + entry * indices.length, 8);
            s.set(JAVA_INT, 0, indices.length);
            for (int i = 0; i < indices.length; i++) {
                s.set(JAVA_INT, header + entry * i, indices[i]);
            }
            int n = Syscalls.ioctl(fd, KvmIoctls.KVM_GET_MSRS, s);
            Map<Integer, Long> values = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                values.put(indices[i], s.get(JAVA_LONG, header + entry * i + 8));
            }
            return values;
        }
    }

    /** Writes MSRs; fails naming the first MSR KVM refused. */
    public void setMsrs(Map<Integer, Long> values) {
        long header = RegsLayouts.KVM_MSRS.byteSize();
        long entry = RegsLayouts.KVM_MSR_ENTRY.byteSize();
        List<Integer> indices = new ArrayList<>(values.keySet());
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(header + entry * indices.size(), 8);
            s.set(JAVA_INT, 0, indices.size());
            for (int i = 0; i < indices.size(); i++) {
                s.set(JAVA_INT, header + entry * i, indices.get(i));
                s.set(JAVA_LONG, header + entry * i + 8, values.get(indices.get(i)));
            }
            int n = Syscalls.ioctl(fd, KvmIoctls.KVM_SET_MSRS, s);
            if (n != indices.size()) {
                throw new SysException("KVM_SET_MSRS", 0,
                        "MSR 0x" + Integer.toHexString(indices.get(n)) + " refused on vcpu" + id);
            }
        }
    }

    /** XCR index to value, as KVM_GET_XCRS reports them. */
    public Map<Integer, Long> xcrs() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(RegsLayouts.KVM_XCRS);
            Syscalls.ioctl(fd, KvmIoctls.KVM_GET_XCRS, s);
            Map<Integer, Long> values = new LinkedHashMap<>();
            for (int i = 0; i < s.get(JAVA_INT, 0); i++) {
                values.put(s.get(JAVA_INT, 8 + 16L * i), s.get(JAVA_LONG, 8 + 16L * i + 8));
            }
            return values;
        }
    }

    public void setXcrs(Map<Integer, Long> values) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(RegsLayouts.KVM_XCRS);
            s.set(JAVA_INT, 0, values.size());
            int i = 0;
            for (var e : values.entrySet()) {
                s.set(JAVA_INT, 8 + 16L * i, e.getKey());
                s.set(JAVA_LONG, 8 + 16L * i + 8, e.getValue());
                i++;
            }
            Syscalls.ioctl(fd, KvmIoctls.KVM_SET_XCRS, s);
        }
    }

    public void setCpuid(List<CpuidEntry> entries) {
        long header = RegsLayouts.KVM_CPUID2.byteSize();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(header + CpuidEntry.SIZE * entries.size(), 8);
            s.set(JAVA_INT, 0, entries.size());
            for (int i = 0; i < entries.size(); i++) {
                entries.get(i).write(s, header + CpuidEntry.SIZE * i);
            }
            Syscalls.ioctl(fd, KvmIoctls.KVM_SET_CPUID2, s);
        }
    }

    public int mpState() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate(RegsLayouts.KVM_MP_STATE);
            Syscalls.ioctl(fd, KvmIoctls.KVM_GET_MP_STATE, s);
            return s.get(JAVA_INT, 0);
        }
    }

    public void setMpState(int state) {
        try (Arena arena = Arena.ofConfined()) {
            Syscalls.ioctl(fd, KvmIoctls.KVM_SET_MP_STATE, arena.allocateFrom(JAVA_INT, state));
        }
    }

    /** The mask KVM installs while this vCPU is in KVM_RUN (see {@link KickSignal}). */
    public void setSignalMask(long kernelSigset) {
        try (Arena arena = Arena.ofConfined()) {
            long header = VmLayouts.KVM_SIGNAL_MASK.byteSize();
            MemorySegment s = arena.allocate(header + KickSignal.KERNEL_SIGSET_SIZE, 8);
            s.set(JAVA_INT, 0, KickSignal.KERNEL_SIGSET_SIZE);
            s.set(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, header, kernelSigset);
            Syscalls.ioctl(fd, KvmIoctls.KVM_SET_SIGNAL_MASK, s);
        }
    }

    @Override
    public void close() {
        try {
            runMapping.close();
        } finally {
            fd.close();
        }
    }
}
