package dev.vmm.tests.ovmf;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/vmm run} (the packaged jar) with the UEFI shell on its stdio: wait for text, type
 * commands. Output is kept whole so a failure shows everything the firmware printed.
 */
final class ShellSession implements AutoCloseable {
    private final Process process;
    private final StringBuffer output = new StringBuffer();
    private final StringBuffer errors = new StringBuffer();
    private final OutputStream input;

    ShellSession(List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(System.getProperty("vmm.java", "java"),
                "--enable-native-access=ALL-UNNAMED", "-jar",
                Path.of(System.getProperty("vmm.jar", "../vmm/target/vmm.jar")).toString(), "run"));
        command.addAll(args);
        process = new ProcessBuilder(command).start();
        input = process.getOutputStream();
        pump(process.getInputStream(), output);
        pump(process.getErrorStream(), errors);
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
                // process ended
            }
        });
    }

    /** Waits until the output after {@code from} contains {@code text}; returns the index past it. */
    int await(String text, int from, long timeoutSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (System.nanoTime() < deadline) {
            int at = output.indexOf(text, from);
            if (at >= 0) {
                return at + text.length();
            }
            if (!process.isAlive() && output.indexOf(text, from) < 0) {
                break;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no '" + text + "' after " + timeoutSeconds + " s; stdout:\n" + output
                + "\nstderr:\n" + errors);
    }

    /** Types a line as a terminal would (CR). */
    void type(String line) throws IOException {
        input.write((line + "\r").getBytes(StandardCharsets.US_ASCII));
        input.flush();
    }

    void key(int b) throws IOException {
        input.write(b);
        input.flush();
    }

    String output() {
        return output.toString();
    }

    String errors() {
        return errors.toString();
    }

    int waitFor(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new AssertionError("vmm did not exit within " + seconds + " s; stdout:\n" + output + "\nstderr:\n" + errors);
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
