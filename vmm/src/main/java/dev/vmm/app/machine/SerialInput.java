package dev.vmm.app.machine;

import dev.vmm.core.vcpu.StopReason;
import dev.vmm.core.vcpu.StopRequester;
import dev.vmm.devices.legacy.Serial16550;
import java.io.IOException;
import java.io.InputStream;

/**
 * Feeds an input stream (stdin) to a UART's receiver on a thread of its own. With an interactive
 * terminal (raw mode, so keys reach the guest) QEMU's escape applies: Ctrl-A x stops the VM, Ctrl-A
 * Ctrl-A sends one Ctrl-A.
 */
final class SerialInput implements AutoCloseable {
    static final byte CTRL_A = 0x01;
    private final Thread thread;

    private SerialInput(Thread thread) {
        this.thread = thread;
    }

    /** Where the bytes go: a UART's receiver, a virtio console. */
    @FunctionalInterface
    interface Receiver {
        void receive(byte[] data, int length) throws InterruptedException;
    }

    static SerialInput start(InputStream in, Serial16550 uart, boolean escapes, StopRequester stopper) {
        return start(in, uart::receive, escapes, stopper);
    }

    static SerialInput start(InputStream in, Receiver uart, boolean escapes, StopRequester stopper) {
        Thread t = Thread.ofPlatform().daemon().name("serial-input").start(() -> pump(in, uart, escapes, stopper));
        return new SerialInput(t);
    }

    private static void pump(InputStream in, Receiver uart, boolean escapes, StopRequester stopper) {
        byte[] buf = new byte[256];
        byte[] out = new byte[256];
        boolean escaped = false;
        try {
            int n;
            while ((n = in.read(buf)) > 0) {
                int m = 0;
                for (int i = 0; i < n; i++) {
                    byte b = buf[i];
                    if (escapes && escaped) {
                        escaped = false;
                        if (b == 'x' || b == 'X') {
                            stopper.requestStop(new StopReason.HostRequest("Ctrl-A x"));
                            return;
                        }
                        if (b != CTRL_A) {
                            continue;
                        }
                    } else if (escapes && b == CTRL_A) {
                        escaped = true;
                        continue;
                    }
                    out[m++] = b;
                }
                uart.receive(out, m);
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
