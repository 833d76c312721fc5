package dev.vmm.sev.launch;

import dev.vmm.core.vcpu.ExitHandler;
import dev.vmm.core.vcpu.ForwardingExitHandler;

/** An SNP guest's page-state changes go to {@link SnpPageStates}; every other exit to the buses. */
final class SnpExitHandler extends ForwardingExitHandler {
    private final SnpPageStates pages;

    SnpExitHandler(ExitHandler buses, SnpPageStates pages) {
        super(buses);
        this.pages = pages;
    }

    @Override
    public long hypercall(long nr, long[] args) {
        return nr == SnpPageStates.HC_MAP_GPA_RANGE ? pages.mapGpaRange(args) : super.hypercall(nr, args);
    }

    @Override
    public boolean memoryFault(long gpa, long size, boolean toPrivate) {
        return pages.memoryFault(gpa, size, toPrivate);
    }
}
