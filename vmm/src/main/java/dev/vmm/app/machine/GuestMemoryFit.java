package dev.vmm.app.machine;

import dev.vmm.app.config.ConfigException;
import dev.vmm.app.config.Sizes;
import dev.vmm.core.kvm.CpuidEntry;
import dev.vmm.core.kvm.VmFd;
import dev.vmm.memory.RamLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Whether the guest RAM asked for can exist: KVM's limits (a memory slot's size, the guest physical
 * address width) are refused with the limit named, where KVM itself only says EINVAL; more than the
 * host has is allowed (memory is mapped lazily, as QEMU's) but said.
 */
public final class GuestMemoryFit {
    public static final long MAX_SLOT_SIZE = VmFd.MAX_SLOT_PAGES * 4096;
    private static final int LEAF_ADDRESS_SIZES = 0x80000008;

    private GuestMemoryFit() {}

    /** Refuses a size whose high-RAM slot or whose end KVM cannot take. */
    public static void check(long size, List<CpuidEntry> supportedCpuid) {
        RamLayout ram = RamLayout.forSize(size);
        if (ram.highRamSize() > MAX_SLOT_SIZE) {
            throw new ConfigException("memory.size", Sizes.format(size) + " is more than KVM maps in one memory slot: "
                    + "RAM above 4 GiB is at most 8 TiB less a page (KVM_MEM_MAX_NR_PAGES), so 8T in all");
        }
        long end = ram.highRamSize() > 0 ? RamLayout.HIGH_RAM_START + ram.highRamSize() : ram.lowRamSize();
        int bits = physicalAddressBits(supportedCpuid);
        if (end > 1L << bits) {
            throw new ConfigException("memory.size", Sizes.format(size) + " of RAM ends at guest physical 0x"
                    + Long.toHexString(end) + ", beyond the " + bits + "-bit physical address space KVM gives guests");
        }
    }

    /** CPUID 0x80000008 EAX[7:0], MAXPHYADDR; 36 bits where the leaf is missing (the architectural default). */
    static int physicalAddressBits(List<CpuidEntry> cpuid) {
        return cpuid.stream().filter(e -> e.function() == LEAF_ADDRESS_SIZES).findFirst()
                .map(e -> e.eax() & 0xff).filter(b -> b > 0).orElse(36);
    }

    /** A warning when the guest may use more RAM than the host has (the guest dies when it touches it). */
    public static Optional<String> hostWarning(long size) {
        OptionalLong host = hostMemory(Path.of("/proc/meminfo"));
        if (host.isEmpty() || size <= host.getAsLong()) {
            return Optional.empty();
        }
        return Optional.of(String.format("guest memory %s is more than this host's %.1f GiB of RAM; the VM is "
                + "killed if the guest uses it all", Sizes.format(size), host.getAsLong() / (double) (1L << 30)));
    }

    static OptionalLong hostMemory(Path meminfo) {
        try {
            for (String line : Files.readAllLines(meminfo)) {
                if (line.startsWith("MemTotal:")) {
                    return OptionalLong.of(Long.parseLong(line.replaceAll("\\D", "")) * 1024);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // No /proc (a container without it): nothing to compare against, and no reason to refuse.
        }
        return OptionalLong.empty();
    }
}
