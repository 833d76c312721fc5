package dev.vmm.core.sys;

import static org.assertj.core.api.Assertions.assertThat;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
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

    /**
     * The set built in Java is the one glibc's own sigemptyset and sigaddset make, in the words glibc
     * uses: the kernel's 64 signals (glibc 2.36 clears only those; the rest of sigset_t is padding).
     */
    @Test
    void theKickSetIsGlibcs() throws Throwable {
        Linker linker = Linker.nativeLinker();
        MethodHandle sigemptyset = linker.downcallHandle(linker.defaultLookup().find("sigemptyset").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, ADDRESS));
        MethodHandle sigaddset = linker.downcallHandle(linker.defaultLookup().find("sigaddset").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment glibc = arena.allocate(128, 8);
            glibc.fill((byte) 0xff);      // sigemptyset must clear it
            assertThat((int) sigemptyset.invokeExact(glibc)).isZero();
            assertThat((int) sigaddset.invokeExact(glibc, KickSignal.number())).isZero();
            MemorySegment ours = KickSignal.kickSet();
            long kernel = KickSignal.KERNEL_SIGSET_SIZE;
            assertThat(ours.asSlice(0, kernel).toArray(JAVA_BYTE)).containsExactly(glibc.asSlice(0, kernel).toArray(JAVA_BYTE));
            assertThat(ours.asSlice(kernel).toArray(JAVA_BYTE)).containsOnly((byte) 0);
        }
    }
}
