package dev.vmm.app.machine;

import java.io.InputStream;
import java.io.OutputStream;

/** What {@code stdio} means for this run: the process's streams, or a test's. */
public record Console(InputStream in, OutputStream out) {
    public static Console system() {
        return new Console(System.in, System.out);
    }
}
