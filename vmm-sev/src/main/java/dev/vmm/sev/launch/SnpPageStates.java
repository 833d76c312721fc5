package dev.vmm.sev.launch;

import dev.vmm.core.abi.CName;
import dev.vmm.memory.MemoryAttributes;

/**
 * An SNP guest's page-state changes at run time: KVM turns its GHCB requests into KVM_HC_MAP_GPA_RANGE
 * hypercall exits, and implicit conversions into memory faults; both end in a private/shared change.
 */
public final class SnpPageStates {
    @CName("KVM_HC_MAP_GPA_RANGE") public static final long HC_MAP_GPA_RANGE = 12;
    @CName("KVM_MAP_GPA_RANGE_ENCRYPTED") public static final long MAP_GPA_RANGE_ENCRYPTED = 1L << 4;
    /** What the guest gets back for a request it cannot have (the kernel's EINVAL). */
    static final long EINVAL = 22;
    private static final System.Logger LOG = System.getLogger("vmm.sev");

    private final MemoryAttributes attributes;

    public SnpPageStates(MemoryAttributes attributes) {
        this.attributes = attributes;
    }

    /** KVM_HC_MAP_GPA_RANGE: args gpa, page count, attributes (bit 4: to private). Returns the hypercall result. */
    public long mapGpaRange(long[] args) {
        long gpa = args[0];
        long pages = args[1];
        boolean toPrivate = (args[2] & MAP_GPA_RANGE_ENCRYPTED) != 0;
        if (pages <= 0 || pages > (1L << 40) || (gpa & 0xfff) != 0) {
            return EINVAL;
        }
        try {
            attributes.setPrivate(gpa, pages * MemoryAttributes.PAGE_SIZE, toPrivate);
            return 0;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "page-state change refused: " + e.getMessage());
            return EINVAL;
        }
    }

    /** An implicit conversion: make the range what the guest accessed it as. */
    public boolean memoryFault(long gpa, long size, boolean toPrivate) {
        long start = gpa & ~0xfffL;
        long end = (gpa + size + 0xfff) & ~0xfffL;
        try {
            attributes.setPrivate(start, end - start, toPrivate);
            return true;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "memory fault conversion refused: " + e.getMessage());
            return false;
        }
    }
}
