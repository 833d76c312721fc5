package dev.vmm.tests.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A VMM (this one or QEMU) with a guest's serial console on its stdio: wait for text, type lines and
 * keys. Output is kept whole, so a failure can show everything the guest printed.
 */
public final class ConsoleSession implements AutoCloseable {
    private final List<String> command;
    private final Process process;
    private final StringBuffer output = new StringBuffer();
    private final StringBuffer errors = new StringBuffer();
    private final OutputStream input;

    public ConsoleSession(List<String> command) throws IOException {
        this.command = List.copyOf(command);
        ProcessBuilder pb = new ProcessBuilder(command);
        withoutJvmOptions(pb.environment());
        process = pb.start();
        input = process.getOutputStream();
        pump(process.getInputStream(), output);
        pump(process.getErrorStream(), errors);
    }

    /**
     * A JVM started with JAVA_TOOL_OPTIONS (and the like) in its environment says "Picked up ..." on
     * stderr, which is not the VMM's output; CI machines often set them.
     */
    public static void withoutJvmOptions(Map<String, String> environment) {
        environment.keySet().removeAll(List.of("JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS"));
    }

    private static void pump(InputStream in, StringBuffer into) {
        Thread.ofPlatform().daemon().start(() -> {
            byte[] b = new byte[4096];
            try {
                int n;
                while ((n = in.read(b)) > 0) {
                    into.append(new String(b, 0, n, StandardCharsets.ISO_8859_1));
                }
            } catch (IOException e) {
                // the process ended
            }
        });
    }

    /**
     * Waits until the output after {@code from} contains {@code text}; returns the index past it.
     *
     * @throws IllegalStateException with all output, if the text did not come in time or the process ended
     */
    public int await(String text, int from, long timeoutSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (true) {
            boolean ended = !process.isAlive();     // read before searching: output may still be arriving
            int at = output.indexOf(text, from);
            if (at >= 0) {
                return at + text.length();
            }
            if (ended || System.nanoTime() >= deadline) {
                throw new IllegalStateException(String.join(" ", command) + ": no '" + text + "' "
                        + (ended ? "before it exited" : "after " + timeoutSeconds + " s") + "; stdout:\n" + output
                        + "\nstderr:\n" + errors);
            }
            Thread.sleep(20);
        }
    }

    /** Types a line as a terminal would (CR). */
    public void type(String line) throws IOException {
        input.write((line + "\r").getBytes(StandardCharsets.US_ASCII));
        input.flush();
    }

    public void key(int b) throws IOException {
        input.write(b);
        input.flush();
    }

    public String output() {
        return output.toString();
    }

    public String errors() {
        return errors.toString();
    }

    /** The exit status, once the process has ended within {@code seconds}. */
    public int waitFor(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new IllegalStateException(String.join(" ", command) + ": still running after " + seconds
                    + " s; stdout:\n" + output + "\nstderr:\n" + errors);
        }
        return process.exitValue();
    }

    /** SIGKILL, as {@code kill -9}: the process gets no chance to flush or close anything. */
    public int kill() throws InterruptedException {
        process.destroyForcibly();
        return process.waitFor();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
