package dev.vmm.core.kvm;

import dev.vmm.core.abi.CConstant;

/** Capabilities probed with KVM_CHECK_EXTENSION or turned on with KVM_ENABLE_CAP. */
public enum KvmCap implements CConstant {
    IRQCHIP(0),
    USER_MEMORY(3),
    SET_TSS_ADDR(4),
    NR_VCPUS(9),
    /** The number of user memory slots per address space (the kernel's KVM_USER_MEM_SLOTS). */
    NR_MEMSLOTS(10),
    /** How many GSI routes KVM_SET_GSI_ROUTING takes (the kernel's KVM_MAX_IRQ_ROUTES): GSIs 0 to one below. */
    IRQ_ROUTING(25),
    IRQFD(32),
    PIT2(33),
    IOEVENTFD(36),
    SET_IDENTITY_MAP_ADDR(37),
    INTERNAL_ERROR_DATA(40),
    SIGNAL_MSI(77),
    MAX_VCPUS(66),
    READONLY_MEM(81),
    IMMEDIATE_EXIT(136),
    EXIT_HYPERCALL(201),
    EXIT_ON_EMULATION_FAILURE(204),
    SYS_ATTRIBUTES(209),
    USER_MEMORY2(231),
    MEMORY_FAULT_INFO(232),
    MEMORY_ATTRIBUTES(233),
    GUEST_MEMFD(234),
    VM_TYPES(235);

    private final int number;

    KvmCap(int number) {
        this.number = number;
    }

    public int number() {
        return number;
    }

    @Override
    public String cName() {
        return "KVM_CAP_" + name();
    }

    @Override
    public long value() {
        return number;
    }
}
