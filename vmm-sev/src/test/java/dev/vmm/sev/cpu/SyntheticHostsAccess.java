package dev.vmm.sev.cpu;

import dev.vmm.core.kvm.CpuidEntry;
import java.util.List;

/** {@link SyntheticHosts} for tests in other packages. */
public final class SyntheticHostsAccess {
    private SyntheticHostsAccess() {}

    public static List<CpuidEntry> intel() {
        return SyntheticHosts.intel();
    }

    public static List<CpuidEntry> amd() {
        return SyntheticHosts.amd();
    }
}
