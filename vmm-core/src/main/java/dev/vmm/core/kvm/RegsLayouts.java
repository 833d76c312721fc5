package dev.vmm.core.kvm;

import static dev.vmm.core.abi.CStruct.array;
import static dev.vmm.core.abi.CStruct.bytes;
import static dev.vmm.core.abi.CStruct.struct;
import static dev.vmm.core.abi.CStruct.u16;
import static dev.vmm.core.abi.CStruct.u32;
import static dev.vmm.core.abi.CStruct.u64;
import static dev.vmm.core.abi.CStruct.u8;

import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

/** vCPU register state structs of asm/kvm.h (x86). */
final class RegsLayouts {
    static final StructLayout KVM_REGS = struct("kvm_regs",
            u64("rax"), u64("rbx"), u64("rcx"), u64("rdx"), u64("rsi"), u64("rdi"), u64("rsp"), u64("rbp"),
            u64("r8"), u64("r9"), u64("r10"), u64("r11"), u64("r12"), u64("r13"), u64("r14"), u64("r15"),
            u64("rip"), u64("rflags"));

    static final StructLayout KVM_SEGMENT = struct("kvm_segment",
            u64("base"), u32("limit"), u16("selector"), u8("type"), u8("present"), u8("dpl"), u8("db"),
            u8("s"), u8("l"), u8("g"), u8("avl"), u8("unusable"), u8("padding"));

    static final StructLayout KVM_DTABLE = struct("kvm_dtable",
            u64("base"), u16("limit"), array("padding", 3, ValueLayout.JAVA_SHORT));

    static final StructLayout KVM_SREGS = struct("kvm_sregs",
            KVM_SEGMENT.withName("cs"), KVM_SEGMENT.withName("ds"), KVM_SEGMENT.withName("es"),
            KVM_SEGMENT.withName("fs"), KVM_SEGMENT.withName("gs"), KVM_SEGMENT.withName("ss"),
            KVM_SEGMENT.withName("tr"), KVM_SEGMENT.withName("ldt"),
            KVM_DTABLE.withName("gdt"), KVM_DTABLE.withName("idt"),
            u64("cr0"), u64("cr2"), u64("cr3"), u64("cr4"), u64("cr8"), u64("efer"), u64("apic_base"),
            array("interrupt_bitmap", 4, ValueLayout.JAVA_LONG));

    static final StructLayout KVM_FPU = struct("kvm_fpu",
            bytes("fpr", 128), u16("fcw"), u16("fsw"), u8("ftwx"), u8("pad1"), u16("last_opcode"),
            u64("last_ip"), u64("last_dp"), bytes("xmm", 256), u32("mxcsr"), u32("pad2"));

    static final StructLayout KVM_MSR_ENTRY = struct("kvm_msr_entry", u32("index"), u32("reserved"), u64("data"));

    /** Header only: {@code entries[]} (flexible) follow at {@code sizeof}. */
    static final StructLayout KVM_MSRS = struct("kvm_msrs", u32("nmsrs"), u32("pad"));

    static final StructLayout KVM_MSR_LIST = struct("kvm_msr_list", u32("nmsrs"));

    static final StructLayout KVM_CPUID_ENTRY2 = struct("kvm_cpuid_entry2",
            u32("function"), u32("index"), u32("flags"), u32("eax"), u32("ebx"), u32("ecx"), u32("edx"),
            array("padding", 3, ValueLayout.JAVA_INT));

    /** Header only: {@code entries[]} (flexible) follow at {@code sizeof}. */
    static final StructLayout KVM_CPUID2 = struct("kvm_cpuid2", u32("nent"), u32("padding"));

    static final StructLayout KVM_XCR = struct("kvm_xcr", u32("xcr"), u32("reserved"), u64("value"));

    static final StructLayout KVM_XCRS = struct("kvm_xcrs",
            u32("nr_xcrs"), u32("flags"), array("xcrs", 16, KVM_XCR), array("padding", 16, ValueLayout.JAVA_LONG));

    /** The XSAVE image; its first 512 bytes are the FXSAVE legacy region, then the XSAVE header at 512. */
    static final StructLayout KVM_XSAVE = struct("kvm_xsave", array("region", 1024, ValueLayout.JAVA_INT));

    static final StructLayout KVM_MP_STATE = struct("kvm_mp_state", u32("mp_state"));

    private RegsLayouts() {}
}
