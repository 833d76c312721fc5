package dev.vmm.memory;

/** What a guest memory region is for; it decides the KVM slot flags and who may write it. */
public enum RegionKind {
    /** Ordinary guest RAM. */
    RAM,
    /** Firmware code: loaded by the VMM, read-only to the guest (KVM_MEM_READONLY). */
    ROM
}
