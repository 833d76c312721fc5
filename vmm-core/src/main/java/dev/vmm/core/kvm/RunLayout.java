package dev.vmm.core.kvm;

import static dev.vmm.core.abi.CStruct.array;
import static dev.vmm.core.abi.CStruct.bytes;
import static dev.vmm.core.abi.CStruct.struct;
import static dev.vmm.core.abi.CStruct.u16;
import static dev.vmm.core.abi.CStruct.u32;
import static dev.vmm.core.abi.CStruct.u64;
import static dev.vmm.core.abi.CStruct.u8;
import static dev.vmm.core.abi.CStruct.union;

import dev.vmm.core.abi.CStruct;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

/** {@code struct kvm_run} (linux/kvm.h): the page shared with KVM at offset 0 of the vCPU mmap. */
final class RunLayout {
    static final StructLayout KVM_RUN = struct("kvm_run",
            u8("request_interrupt_window"),
            u8("immediate_exit"),
            bytes("padding1", 6),
            u32("exit_reason"),
            u8("ready_for_interrupt_injection"),
            u8("if_flag"),
            u16("flags"),
            u64("cr8"),
            u64("apic_base"),
            union(null,
                    struct("hw", u64("hardware_exit_reason")),
                    struct("fail_entry", u64("hardware_entry_failure_reason"), u32("cpu")),
                    struct("ex", u32("exception"), u32("error_code")),
                    struct("io", u8("direction"), u8("size"), u16("port"), u32("count"), u64("data_offset")),
                    struct("mmio", u64("phys_addr"), bytes("data", 8), u32("len"), u8("is_write")),
                    struct("hypercall", u64("nr"), array("args", 6, ValueLayout.JAVA_LONG), u64("ret"),
                            union(null, u32("longmode"), u64("flags"))),
                    struct("internal", u32("suberror"), u32("ndata"), array("data", 16, ValueLayout.JAVA_LONG)),
                    struct("emulation_failure", u32("suberror"), u32("ndata"), u64("flags"),
                            union(null, struct(null, u8("insn_size"), bytes("insn_bytes", 15)))),
                    struct("system_event", u32("type"), u32("ndata"),
                            union(null, u64("flags"), array("data", 16, ValueLayout.JAVA_LONG))),
                    struct("msr", u8("error"), bytes("pad", 7), u32("reason"), u32("index"), u64("data")),
                    struct("memory_fault", u64("flags"), u64("gpa"), u64("size")),
                    bytes("padding", 256)),
            u64("kvm_valid_regs"),
            u64("kvm_dirty_regs"),
            bytes("s", 2048));

    static final long IMMEDIATE_EXIT = off("immediate_exit");
    static final long EXIT_REASON = off("exit_reason");
    static final long IO_DIRECTION = off("io.direction");
    static final long IO_SIZE = off("io.size");
    static final long IO_PORT = off("io.port");
    static final long IO_COUNT = off("io.count");
    static final long IO_DATA_OFFSET = off("io.data_offset");
    static final long MMIO_PHYS_ADDR = off("mmio.phys_addr");
    static final long MMIO_DATA = off("mmio.data");
    static final long MMIO_LEN = off("mmio.len");
    static final long MMIO_IS_WRITE = off("mmio.is_write");
    static final long FAIL_ENTRY_REASON = off("fail_entry.hardware_entry_failure_reason");
    static final long FAIL_ENTRY_CPU = off("fail_entry.cpu");
    static final long HW_EXIT_REASON = off("hw.hardware_exit_reason");
    static final long INTERNAL_SUBERROR = off("internal.suberror");
    static final long INTERNAL_NDATA = off("internal.ndata");
    static final long INTERNAL_DATA = off("internal.data");
    static final long EMULATION_FLAGS = off("emulation_failure.flags");
    static final long EMULATION_INSN_SIZE = off("emulation_failure.insn_size");
    static final long EMULATION_INSN_BYTES = off("emulation_failure.insn_bytes");
    static final long SYSTEM_EVENT_TYPE = off("system_event.type");
    static final long SYSTEM_EVENT_NDATA = off("system_event.ndata");
    static final long SYSTEM_EVENT_DATA = off("system_event.data");
    static final long HYPERCALL_NR = off("hypercall.nr");
    static final long HYPERCALL_ARGS = off("hypercall.args");
    static final long HYPERCALL_RET = off("hypercall.ret");
    static final long HYPERCALL_FLAGS = off("hypercall.flags");
    static final long MEMORY_FAULT_FLAGS = off("memory_fault.flags");
    static final long MEMORY_FAULT_GPA = off("memory_fault.gpa");
    static final long MEMORY_FAULT_SIZE = off("memory_fault.size");

    private RunLayout() {}

    private static long off(String path) {
        return CStruct.offset(KVM_RUN, path);
    }
}
