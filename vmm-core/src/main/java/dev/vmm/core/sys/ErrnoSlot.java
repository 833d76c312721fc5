package dev.vmm.core.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Where the JDK stores errno after a system call ({@code Linker.Option.captureCallState}). Calls take
 * one per thread from a {@code ThreadLocal} unless given their own: a vCPU keeps one for KVM_RUN, since
 * the lookup was a tenth of the VMM's own time per exit under C1 (profiled: {@code Reference.refersTo}
 * is a call into the JVM there). One thread at a time may use a slot.
 */
public final class ErrnoSlot {
    final MemorySegment segment = Arena.ofAuto().allocate(Native.CAPTURE_LAYOUT);
}
