package dev.vmm.core.sys;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real AF_UNIX connection on this host: the end of the stream, and what ended it. */
class UnixStreamTest {
    @TempDir
    Path dir;

    private UnixStream accepted(UnixStream listener) throws InterruptedException {
        for (int i = 0; i < 1000; i++) {
            UnixStream s = listener.accept();
            if (s != null) {
                return s;
            }
            Thread.sleep(1);
        }
        throw new AssertionError("no connection to accept");
    }

    @Test
    void aShutdownOfWritesIsTheEndOfTheStreamButNotAClose() throws Exception {
        Path path = dir.resolve("s");
        try (UnixStream listener = UnixStream.listen(path); UnixStream peer = UnixStream.connect(path);
             UnixStream ours = accepted(listener); Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(16);
            assertThat(ours.read(buffer)).as("nothing waits yet").isEqualTo(-1);
            assertThat(ours.peerClosed()).isFalse();
            peer.shutdownWrite();
            assertThat(ours.read(buffer)).as("the end of the stream").isZero();
            assertThat(ours.peerClosed()).as("the peer may still read").isFalse();
            peer.close();
            assertThat(ours.read(buffer)).isZero();
            assertThat(ours.peerClosed()).as("seen at once, without an epoll round").isTrue();
        }
    }
}
