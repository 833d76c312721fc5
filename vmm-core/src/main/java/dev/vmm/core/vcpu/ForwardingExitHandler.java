package dev.vmm.core.vcpu;

import java.lang.foreign.MemorySegment;

/** Passes every exit to another handler; a subclass overrides the exits it serves itself. */
public abstract class ForwardingExitHandler implements ExitHandler {
    private final ExitHandler next;

    protected ForwardingExitHandler(ExitHandler next) {
        this.next = next;
    }

    @Override
    public void pioRead(int port, MemorySegment data) {
        next.pioRead(port, data);
    }

    @Override
    public void pioWrite(int port, MemorySegment data) {
        next.pioWrite(port, data);
    }

    @Override
    public void mmioRead(long address, MemorySegment data) {
        next.mmioRead(address, data);
    }

    @Override
    public void mmioWrite(long address, MemorySegment data) {
        next.mmioWrite(address, data);
    }

    @Override
    public long hypercall(long nr, long[] args) {
        return next.hypercall(nr, args);
    }

    @Override
    public boolean memoryFault(long gpa, long size, boolean toPrivate) {
        return next.memoryFault(gpa, size, toPrivate);
    }
}
