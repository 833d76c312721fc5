package dev.vmm.core.sys;

import static org.assertj.core.api.Assertions.assertThat;

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
}
