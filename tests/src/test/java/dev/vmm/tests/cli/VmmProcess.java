package dev.vmm.tests.cli;

import dev.vmm.tests.console.ConsoleSession;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs the packaged VMM as a user does: {@code java -jar vmm/target/vmm.jar ARGS}. */
record VmmProcess(int status, String stdout, String stderr) {
    static Process start(String... args) throws IOException {
        return startIn(null, args);
    }

    /** In {@code dir} (null: this one), as a user in that directory runs it. */
    static Process startIn(Path dir, String... args) throws IOException {
        Path jar = Path.of(System.getProperty("vmm.jar", "../vmm/target/vmm.jar")).toAbsolutePath();
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " missing: the vmm module must be packaged first (mvn verify)");
        }
        List<String> command = new ArrayList<>(List.of(System.getProperty("vmm.java", "java"), "-jar", jar.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE);
        ConsoleSession.withoutJvmOptions(pb.environment());
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        return pb.start();
    }

    static VmmProcess run(String... args) throws Exception {
        Process p = start(args);
        p.getOutputStream().close();
        return finish(p);
    }

    static VmmProcess runIn(Path dir, String... args) throws Exception {
        Process p = startIn(dir, args);
        p.getOutputStream().close();
        return finish(p);
    }

    static VmmProcess finish(Process p) throws Exception {
        var out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        var err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("vmm did not exit within 60 s");
        }
        return new VmmProcess(p.exitValue(), out.get(), err.get());
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
