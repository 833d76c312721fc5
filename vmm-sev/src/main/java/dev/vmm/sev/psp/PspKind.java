package dev.vmm.sev.psp;

/** Which PSP runs a launch: the real one through KVM and /dev/sev, or the labelled simulation. */
public enum PspKind { KVM, SIMULATED }
