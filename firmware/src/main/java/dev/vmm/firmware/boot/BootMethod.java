package dev.vmm.firmware.boot;

import dev.vmm.core.kvm.VcpuFd;
import dev.vmm.core.kvm.VmFd;
import dev.vmm.core.vcpu.ExitHandler;
import dev.vmm.memory.GuestMemory;
import dev.vmm.memory.GuestMemoryBuilder;
import dev.vmm.memory.RamLayout;
import java.util.List;

/**
 * How a guest starts. The machine builder calls these hooks in this order, one build step each, and
 * has no other knowledge of the kind of boot: a plain firmware boot ({@link FirmwareBoot}), a
 * confidential launch (vmm-sev's {@code ConfidentialBoot}) and a Linux kernel loader each answer them
 * their own way, as QEMU's machine init and its confidential-guest-support hooks do.
 */
public interface BootMethod {
    /** KVM_CREATE_VM's machine type. */
    int vmType();

    /** Adds the regions the payload needs beside RAM (the firmware, read-only or as RAM). */
    void addRegions(GuestMemoryBuilder memory, RamLayout ram);

    /**
     * Registers guest memory with KVM, after whatever must come first (a confidential launch's INIT).
     * Returns what the VM must close when it goes, in order.
     */
    List<AutoCloseable> registerMemory(VmFd vm, GuestMemory memory);

    /** The handler vCPUs run with: {@code platform} (the buses), or one in front of it. */
    ExitHandler exitHandler(ExitHandler platform);

    /** Puts the payload in guest memory, measured where the boot measures. */
    void load(GuestMemory memory);

    /** Gives vCPU {@code index} of {@code cpus} its CPUID and its first registers. */
    void setUpVcpu(VcpuFd vcpu, int index, int cpus);

    /** After every vCPU is set up and before any runs (a confidential launch finishes here). */
    void finish();
}
