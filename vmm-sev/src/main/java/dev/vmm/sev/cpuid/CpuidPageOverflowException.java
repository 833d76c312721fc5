package dev.vmm.sev.cpuid;

import dev.vmm.core.VmmException;
import java.util.List;

/** A guest CPUID with more leaves than the SNP CPUID page holds; names the count and the leaves. */
public final class CpuidPageOverflowException extends VmmException {
    private final List<String> leaves;

    public CpuidPageOverflowException(int count, List<String> leaves) {
        super("SNP CPUID page: the guest CPUID has " + count + " non-zero leaves, the page holds at most "
                + SnpCpuidTable.MAX_ENTRIES + " (" + String.join(" ", leaves) + "); choose a CPU model with "
                + "fewer leaves");
        this.leaves = List.copyOf(leaves);
    }

    public List<String> leaves() {
        return leaves;
    }
}
