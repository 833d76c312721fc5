package dev.vmm.tests.net;

import dev.vmm.core.sys.UnixDatagram;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;

/**
 * A userspace peer of {@code --net socket=PATH}: bound at PATH, it answers each frame with "pong" in place
 * of "ping" and keeps what it received. Polls its non-blocking socket every 0.1 ms: tests only.
 */
public final class EchoPeer implements AutoCloseable {
    private final UnixDatagram socket;
    public final List<byte[]> frames = new CopyOnWriteArrayList<>();
    private final Thread thread;
    private volatile boolean stop;

    public EchoPeer(Path path) {
        socket = UnixDatagram.bind(path);
        thread = Thread.ofPlatform().daemon().start(this::run);
    }

    private void run() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(65536);
            while (!stop) {
                int n = socket.receive(buf);
                if (n < 0) {
                    LockSupport.parkNanos(100_000);      // not a spin: the guest's vCPU needs the core
                    continue;
                }
                byte[] frame = buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
                frames.add(frame);
                String text = new String(frame, StandardCharsets.ISO_8859_1).replace("ping", "pong");
                byte[] answer = text.getBytes(StandardCharsets.ISO_8859_1);
                socket.reply(a.allocateFrom(ValueLayout.JAVA_BYTE, answer));
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        thread.join();
        socket.close();
    }
}

