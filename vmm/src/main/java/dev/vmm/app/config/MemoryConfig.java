package dev.vmm.app.config;

/** Guest RAM: its size in bytes (above 2 GiB it continues above 4 GiB) and whether hugetlbfs backs it. */
public record MemoryConfig(long size, boolean hugepages) {
    public static final long DEFAULT_SIZE = 128L << 20;
    /** The test guest runs from 1 MiB with 256 KiB of stacks; OVMF needs far more and says so itself. */
    public static final long MIN_SIZE = 4L << 20;
    public static final long HUGE_PAGE = 2L << 20;

    void validate() {
        if (size < MIN_SIZE) {
            throw new ConfigException("memory.size", Sizes.format(size) + " is too small: the VM needs at least "
                    + Sizes.format(MIN_SIZE));
        }
        long align = hugepages ? HUGE_PAGE : 4096;
        if (size % align != 0) {
            throw new ConfigException("memory.size", size + " bytes is not a multiple of " + Sizes.format(align)
                    + (hugepages ? " (required with {memory.hugepages})" : ""));
        }
    }
}
