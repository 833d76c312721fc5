package dev.vmm.core.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** What a raw address may be made of: the checks a pointer parameter would have made. */
class SyscallTest {
    @Test
    void heapFreedAndOtherThreadsMemoryHaveNoAddressToPass() throws Exception {
        assertThatThrownBy(() -> Syscall.address(MemorySegment.ofArray(new byte[8])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs native memory");
        MemorySegment freed;
        try (Arena a = Arena.ofConfined()) {
            freed = a.allocate(8);
            assertThat(Syscall.address(freed)).isEqualTo(freed.address());
        }
        assertThatThrownBy(() -> Syscall.address(freed)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already freed");
        try (Arena a = Arena.ofConfined()) {
            MemorySegment mine = a.allocate(8);
            CompletableFuture<Throwable> other = new CompletableFuture<>();
            Thread.ofPlatform().start(() -> {
                try {
                    Syscall.address(mine);
                    other.complete(null);
                } catch (Throwable t) {
                    other.complete(t);
                }
            }).join();
            assertThat(other.get()).isInstanceOf(WrongThreadException.class);
        }
    }

    @Test
    void aFailedCallIsMinusErrno() {
        assertThat(Syscall.call(Syscall.CLOSE, -1)).isEqualTo(-Errno.EBADF);
        assertThat(Syscall.call(Syscall.GETPID)).isEqualTo(ProcessHandle.current().pid());
    }
}
