package dev.vmm.core.sys;

import static org.assertj.core.api.Assertions.assertThat;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class KickSignalTest {
    @Test
    void aBlockedKickStaysPendingUntilDrained() throws Exception {
        // On a thread of its own: the test leaves the kick blocked there.
        CompletableFuture<int[]> result = new CompletableFuture<>();
        Thread t = Thread.ofPlatform().start(() -> {
            long mask = KickSignal.blockInCurrentThread();
            long self = KickSignal.currentThread();
            KickSignal.send(self);
            KickSignal.send(self);
            int first = KickSignal.drain();
            int second = KickSignal.drain();
            result.complete(new int[] {first, second, (mask & KickSignal.bit(KickSignal.number())) == 0 ? 1 : 0});
        });
        t.join();
        // Real-time signals queue, so both kicks are drained; the mask for KVM leaves the kick open.
        assertThat(result.get()).containsExactly(2, 0, 1);
    }

    @Test
    void usesAFreeRealTimeSignal() {
        assertThat(KickSignal.number()).isBetween(32, 64);
    }

    /** The kick is glibc's own SIGRTMIN, the first real-time signal it leaves to programs. */
    @Test
    void theKickIsGlibcsFirstFreeRealTimeSignal() throws Throwable {
        Linker linker = Linker.nativeLinker();
        MethodHandle sigrtmin = linker.downcallHandle(linker.defaultLookup().find("__libc_current_sigrtmin").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT));
        assertThat(KickSignal.number()).isEqualTo((int) sigrtmin.invokeExact());
    }

    /** The set is the kernel's 64-bit sigset_t with the kick alone: signal n is bit n - 1. */
    @Test
    void theKickSetHoldsTheKickAlone() {
        MemorySegment set = KickSignal.kickSet();
        assertThat(set.byteSize()).isEqualTo(KickSignal.KERNEL_SIGSET_SIZE);
        assertThat(set.get(JAVA_LONG, 0)).isEqualTo(1L << (KickSignal.number() - 1));
    }
}
