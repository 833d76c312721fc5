package dev.vmm.core.kvm;

import static dev.vmm.core.abi.CStruct.array;
import static dev.vmm.core.abi.CStruct.bytes;
import static dev.vmm.core.abi.CStruct.struct;
import static dev.vmm.core.abi.CStruct.u32;
import static dev.vmm.core.abi.CStruct.u64;
import static dev.vmm.core.abi.CStruct.union;

import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

/** Structs of linux/kvm.h used on the VM fd and the system fd. */
final class VmLayouts {
    static final StructLayout KVM_USERSPACE_MEMORY_REGION = struct("kvm_userspace_memory_region",
            u32("slot"), u32("flags"), u64("guest_phys_addr"), u64("memory_size"), u64("userspace_addr"));

    static final StructLayout KVM_USERSPACE_MEMORY_REGION2 = struct("kvm_userspace_memory_region2",
            u32("slot"), u32("flags"), u64("guest_phys_addr"), u64("memory_size"), u64("userspace_addr"),
            u64("guest_memfd_offset"), u32("guest_memfd"), u32("pad1"), array("pad2", 14, ValueLayout.JAVA_LONG));

    static final StructLayout KVM_IRQ_LEVEL = struct("kvm_irq_level",
            union(null, u32("irq"), u32("status")), u32("level"));

    static final StructLayout KVM_IRQFD = struct("kvm_irqfd",
            u32("fd"), u32("gsi"), u32("flags"), u32("resamplefd"), bytes("pad", 16));

    static final StructLayout KVM_IOEVENTFD = struct("kvm_ioeventfd",
            u64("datamatch"), u64("addr"), u32("len"), u32("fd"), u32("flags"), bytes("pad", 36));

    static final StructLayout KVM_PIT_CONFIG = struct("kvm_pit_config",
            u32("flags"), array("pad", 15, ValueLayout.JAVA_INT));

    static final StructLayout KVM_ENABLE_CAP = struct("kvm_enable_cap",
            u32("cap"), u32("flags"), array("args", 4, ValueLayout.JAVA_LONG), bytes("pad", 64));

    /** Header only: the kernel sigset ({@code len} bytes) follows. */
    static final StructLayout KVM_SIGNAL_MASK = struct("kvm_signal_mask", u32("len"));

    static final StructLayout KVM_CREATE_GUEST_MEMFD = struct("kvm_create_guest_memfd",
            u64("size"), u64("flags"), array("reserved", 6, ValueLayout.JAVA_LONG));

    /** A host range KVM pins for an SEV/SEV-ES guest (not SNP, whose private memory is guest_memfd). */
    static final StructLayout KVM_ENC_REGION = struct("kvm_enc_region", u64("addr"), u64("size"));

    static final StructLayout KVM_MEMORY_ATTRIBUTES = struct("kvm_memory_attributes",
            u64("address"), u64("size"), u64("attributes"), u64("flags"));

    /**
     * One GSI route. The union {@code u} is laid out as the header has it, every member included, so its
     * size and alignment are the kernel's; the VMM writes only {@code irqchip} and {@code msi}.
     */
    static final StructLayout KVM_IRQ_ROUTING_ENTRY = struct("kvm_irq_routing_entry",
            u32("gsi"), u32("type"), u32("flags"), u32("pad"),
            union("u",
                    struct("irqchip", u32("irqchip"), u32("pin")),
                    struct("msi", u32("address_lo"), u32("address_hi"), u32("data"),
                            union(null, u32("pad"), u32("devid"))),
                    struct("adapter", u64("ind_addr"), u64("summary_addr"), u64("ind_offset"),
                            u32("summary_offset"), u32("adapter_id")),
                    struct("hv_sint", u32("vcpu"), u32("sint")),
                    struct("xen_evtchn", u32("port"), u32("vcpu"), u32("priority")),
                    array("pad", 8, ValueLayout.JAVA_INT)));

    /** Header only: {@code entries[]} (flexible) follow at {@code sizeof}. */
    static final StructLayout KVM_IRQ_ROUTING = struct("kvm_irq_routing", u32("nr"), u32("flags"));

    static final StructLayout KVM_MSI = struct("kvm_msi",
            u32("address_lo"), u32("address_hi"), u32("data"), u32("flags"), u32("devid"), bytes("pad", 12));

    static final StructLayout KVM_DEVICE_ATTR = struct("kvm_device_attr",
            u32("flags"), u32("group"), u64("attr"), u64("addr"));

    private VmLayouts() {}
}
