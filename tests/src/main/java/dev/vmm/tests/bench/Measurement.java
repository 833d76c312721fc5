package dev.vmm.tests.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Runs a command to completion and measures it: wall time from launch to exit, and peak RSS. */
record Measurement(double seconds, long peakRssKib, int status) {
    /** GNU time reports the child's peak RSS (ru_maxrss) without adding to it. */
    private static final String GNU_TIME = "/usr/bin/time";

    static Measurement of(List<String> command) throws IOException, InterruptedException {
        Path rss = Files.createTempFile("vmm-bench", ".rss");
        try {
            List<String> wrapped = new ArrayList<>(List.of(GNU_TIME, "-q", "-f", "%M", "-o", rss.toString()));
            wrapped.addAll(command);
            ProcessBuilder pb = new ProcessBuilder(wrapped)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD);
            long t0 = System.nanoTime();
            Process p = pb.start();
            int status = p.waitFor();
            double seconds = (System.nanoTime() - t0) / 1e9;
            String text = Files.readString(rss).trim();
            long kib = Long.parseLong(text.substring(text.lastIndexOf('\n') + 1).trim());
            return new Measurement(seconds, kib, status);
        } finally {
            Files.deleteIfExists(rss);
        }
    }

    /** Runs {@code warmups} unmeasured, then {@code runs} measured; every run must exit with {@code expected}. */
    static List<Measurement> repeat(List<String> command, int warmups, int runs, int expected)
            throws IOException, InterruptedException {
        List<Measurement> out = new ArrayList<>();
        for (int i = 0; i < warmups + runs; i++) {
            Measurement m = expecting(command, expected);
            if (i >= warmups) {
                out.add(m);
            }
        }
        return out;
    }

    /** Each command once per turn, {@code runs} turns after one warm-up turn; one list per command. */
    static List<List<Measurement>> inTurns(List<List<String>> commands, int[] expected, int runs)
            throws IOException, InterruptedException {
        List<List<Measurement>> out = new ArrayList<>();
        commands.forEach(c -> out.add(new ArrayList<>()));
        for (int turn = 0; turn <= runs; turn++) {
            for (int c = 0; c < commands.size(); c++) {
                Measurement m = expecting(commands.get(c), expected[c]);
                if (turn > 0) {
                    out.get(c).add(m);
                }
            }
        }
        return out;
    }

    /** One run, which must exit with {@code expected}. */
    private static Measurement expecting(List<String> command, int expected) throws IOException, InterruptedException {
        Measurement m = of(command);
        if (m.status != expected) {
            throw new IllegalStateException("exit status " + m.status + " (expected " + expected + "): "
                    + String.join(" ", command));
        }
        return m;
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    static double medianSeconds(List<Measurement> ms) {
        return median(ms.stream().mapToDouble(Measurement::seconds).toArray());
    }

    static double medianRssMib(List<Measurement> ms) {
        return median(ms.stream().mapToDouble(m -> m.peakRssKib / 1024.0).toArray());
    }
}
