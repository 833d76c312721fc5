package dev.vmm.core.kvm;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

/**
 * A view of one vCPU's {@code kvm_run} page. It borrows the mapping owned by its {@link VcpuFd} and is
 * valid while that vCPU is open. Only the vCPU thread reads exits; any thread may set
 * {@code immediate_exit}, which is why that one byte is written with volatile semantics.
 */
public final class KvmRun {
    private static final VarHandle BYTE = JAVA_BYTE.varHandle();
    private final MemorySegment page;

    KvmRun(MemorySegment page) {
        this.page = page;
    }

    public int exitReason() {
        return page.get(JAVA_INT, RunLayout.EXIT_REASON);
    }

    public void setImmediateExit(boolean on) {
        BYTE.setVolatile(page, RunLayout.IMMEDIATE_EXIT, (byte) (on ? 1 : 0));
    }

    public boolean immediateExit() {
        return (byte) BYTE.getVolatile(page, RunLayout.IMMEDIATE_EXIT) != 0;
    }

    // KVM_EXIT_IO

    public boolean ioIsOut() {
        return page.get(JAVA_BYTE, RunLayout.IO_DIRECTION) == 1;
    }

    public int ioSize() {
        return page.get(JAVA_BYTE, RunLayout.IO_SIZE) & 0xff;
    }

    public int ioPort() {
        return page.get(JAVA_SHORT, RunLayout.IO_PORT) & 0xffff;
    }

    public int ioCount() {
        return page.get(JAVA_INT, RunLayout.IO_COUNT);
    }

    /** The {@code count * size} data bytes, inside the vCPU mapping (KVM places them on page 1). */
    public MemorySegment ioData() {
        return page.asSlice(page.get(JAVA_LONG, RunLayout.IO_DATA_OFFSET), (long) ioSize() * ioCount());
    }

    // KVM_EXIT_MMIO

    public long mmioAddress() {
        return page.get(JAVA_LONG, RunLayout.MMIO_PHYS_ADDR);
    }

    public boolean mmioIsWrite() {
        return page.get(JAVA_BYTE, RunLayout.MMIO_IS_WRITE) != 0;
    }

    /** The access bytes: 1 to 8 of {@code mmio.data}. */
    public MemorySegment mmioData() {
        int len = page.get(JAVA_INT, RunLayout.MMIO_LEN);
        return page.asSlice(RunLayout.MMIO_DATA, Math.clamp(len, 0, 8));
    }

    // KVM_EXIT_FAIL_ENTRY, KVM_EXIT_UNKNOWN

    public long failEntryReason() {
        return page.get(JAVA_LONG, RunLayout.FAIL_ENTRY_REASON);
    }

    public int failEntryCpu() {
        return page.get(JAVA_INT, RunLayout.FAIL_ENTRY_CPU);
    }

    public long hardwareExitReason() {
        return page.get(JAVA_LONG, RunLayout.HW_EXIT_REASON);
    }

    // KVM_EXIT_INTERNAL_ERROR

    public int internalSuberror() {
        return page.get(JAVA_INT, RunLayout.INTERNAL_SUBERROR);
    }

    /** The {@code ndata} valid words of {@code internal.data} (at most 16). */
    public long[] internalData() {
        int n = Math.clamp(page.get(JAVA_INT, RunLayout.INTERNAL_NDATA), 0, 16);
        long[] data = new long[n];
        MemorySegment.copy(page, JAVA_LONG, RunLayout.INTERNAL_DATA, data, 0, n);
        return data;
    }

    /** For suberror EMULATION: the instruction bytes KVM could fetch, or {@code null} if it gave none. */
    public byte[] emulationInstructionBytes() {
        long flags = page.get(JAVA_LONG, RunLayout.EMULATION_FLAGS);
        if (page.get(JAVA_INT, RunLayout.INTERNAL_NDATA) < 2 || (flags & 1) == 0) {
            return null;
        }
        int size = Math.clamp(page.get(JAVA_BYTE, RunLayout.EMULATION_INSN_SIZE) & 0xff, 0, 15);
        byte[] bytes = new byte[size];
        MemorySegment.copy(page, JAVA_BYTE, RunLayout.EMULATION_INSN_BYTES, bytes, 0, size);
        return bytes;
    }

    // KVM_EXIT_SYSTEM_EVENT

    public int systemEventType() {
        return page.get(JAVA_INT, RunLayout.SYSTEM_EVENT_TYPE);
    }

    public long[] systemEventData() {
        int n = Math.clamp(page.get(JAVA_INT, RunLayout.SYSTEM_EVENT_NDATA), 0, 16);
        long[] data = new long[n];
        MemorySegment.copy(page, JAVA_LONG, RunLayout.SYSTEM_EVENT_DATA, data, 0, n);
        return data;
    }

    // KVM_EXIT_HYPERCALL

    public long hypercallNr() {
        return page.get(JAVA_LONG, RunLayout.HYPERCALL_NR);
    }

    public long[] hypercallArgs() {
        long[] args = new long[6];
        MemorySegment.copy(page, JAVA_LONG, RunLayout.HYPERCALL_ARGS, args, 0, 6);
        return args;
    }

    public long hypercallFlags() {
        return page.get(JAVA_LONG, RunLayout.HYPERCALL_FLAGS);
    }

    public void setHypercallReturn(long value) {
        page.set(JAVA_LONG, RunLayout.HYPERCALL_RET, value);
    }

    // KVM_EXIT_MEMORY_FAULT

    public long memoryFaultFlags() {
        return page.get(JAVA_LONG, RunLayout.MEMORY_FAULT_FLAGS);
    }

    public long memoryFaultGpa() {
        return page.get(JAVA_LONG, RunLayout.MEMORY_FAULT_GPA);
    }

    public long memoryFaultSize() {
        return page.get(JAVA_LONG, RunLayout.MEMORY_FAULT_SIZE);
    }
}
