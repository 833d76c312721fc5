package dev.vmm.app.machine;

import dev.vmm.devices.legacy.Serial16550;
import java.io.IOException;
import java.io.InputStream;

/** Feeds an input stream (stdin) to a UART's receiver on a thread of its own. */
final class SerialInput implements AutoCloseable {
    private final Thread thread;

    private SerialInput(Thread thread) {
        this.thread = thread;
    }

    static SerialInput start(InputStream in, Serial16550 uart) {
        Thread t = Thread.ofPlatform().daemon().name("serial-input").start(() -> pump(in, uart));
        return new SerialInput(t);
    }

    private static void pump(InputStream in, Serial16550 uart) {
        byte[] buf = new byte[256];
        try {
            int n;
            while ((n = in.read(buf)) > 0) {
                uart.receive(buf, n);
            }
        } catch (IOException | InterruptedException e) {
            // End of input or VM closed: the guest simply receives nothing more.
        }
    }

    /** Stops feeding; a read blocked on a terminal ends with the process (the thread is a daemon). */
    @Override
    public void close() {
        thread.interrupt();
    }
}
