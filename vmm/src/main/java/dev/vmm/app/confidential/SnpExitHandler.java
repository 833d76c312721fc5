package dev.vmm.app.confidential;

import dev.vmm.core.vcpu.ExitHandler;
import dev.vmm.sev.launch.SnpPageStates;
import java.lang.foreign.MemorySegment;

/** Port I/O and MMIO to the buses; page-state changes of an SNP guest to {@link SnpPageStates}. */
final class SnpExitHandler implements ExitHandler {
    private final ExitHandler buses;
    private final SnpPageStates pages;

    SnpExitHandler(ExitHandler buses, SnpPageStates pages) {
        this.buses = buses;
        this.pages = pages;
    }

    @Override
    public void pioRead(int port, MemorySegment data) {
        buses.pioRead(port, data);
    }

    @Override
    public void pioWrite(int port, MemorySegment data) {
        buses.pioWrite(port, data);
    }

    @Override
    public void mmioRead(long address, MemorySegment data) {
        buses.mmioRead(address, data);
    }

    @Override
    public void mmioWrite(long address, MemorySegment data) {
        buses.mmioWrite(address, data);
    }

    @Override
    public long hypercall(long nr, long[] args) {
        return nr == SnpPageStates.HC_MAP_GPA_RANGE ? pages.mapGpaRange(args) : buses.hypercall(nr, args);
    }

    @Override
    public boolean memoryFault(long gpa, long size, boolean toPrivate) {
        return pages.memoryFault(gpa, size, toPrivate);
    }
}
