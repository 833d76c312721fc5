package dev.vmm.tests.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Launch-digest throughput for a large measured direct boot: {@code vmm measure --mode snp} over a
 * kernel and an initrd of 256 MiB each (they enter the launch through their SHA-256 in the hashes
 * table), against the physical limit, {@code openssl speed -evp sha256} (and sha384, the digest of
 * the measured pages) on the same machine.
 */
public final class DigestThroughput {
    private static final long PART = 256L << 20;

    private DigestThroughput() {}

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("vmm.root", ".")).toAbsolutePath().normalize();
        int runs = args.length > 1 && args[0].equals("--runs") ? Integer.parseInt(args[1]) : 5;
        Path dir = Files.createDirectories(root.resolve("tests/target/bench"));
        Path kernel = sized(dir.resolve("kernel-256m"), 1);
        Path initrd = sized(dir.resolve("initrd-256m"), 2);
        Path amdsev = dir.resolve("amdsev-2m.fd");
        byte[] image = new byte[2 << 20];
        byte[] suffix = Files.readAllBytes(root.resolve("tests/src/test/resources/testdata/ovmf/amdsev-suffix-4k.bin"));
        System.arraycopy(suffix, 0, image, image.length - suffix.length, suffix.length);
        Files.write(amdsev, image);

        List<String> base = List.of(root.resolve("bin/vmm").toString(), "measure", "--mode", "snp", "--cpu-model",
                "EPYC-v4", "--firmware", amdsev.toString());
        var without = Measurement.repeat(base, 1, runs, 0);
        var with = Measurement.repeat(concat(base, "--kernel", kernel.toString(), "--initrd", initrd.toString(),
                "--append", "console=ttyS0"), 1, runs, 0);
        double seconds = Measurement.medianSeconds(with) - Measurement.medianSeconds(without);
        double vmm = 2 * PART / seconds / 1e6;
        double sha256 = openssl("sha256");
        double sha384 = openssl("sha384");
        double jdk256 = warmJdkRate("SHA-256");
        double jdk384 = warmJdkRate("SHA-384");
        System.out.printf("vmm measure (snp, 2 MiB AmdSev firmware + 512 MiB kernel and initrd): %.3f s; without them "
                + "%.3f s; peak RSS %.0f MiB%n", Measurement.medianSeconds(with), Measurement.medianSeconds(without),
                Measurement.medianRssMib(with));
        System.out.println();
        System.out.println("| throughput | MB/s | vmm / limit |");
        System.out.println("|---|---:|---:|");
        System.out.printf("| vmm measure, kernel + initrd (SHA-256, file read included) | %.0f | |%n", vmm);
        System.out.printf("| openssl speed -evp sha256, 16 KiB blocks (the limit for these bytes) | %.0f | %.2f |%n", sha256, vmm / sha256);
        System.out.printf("| JDK SHA-256 in one warm JVM, 1 MiB updates | %.0f | %.2f |%n", jdk256, jdk256 / sha256);
        System.out.printf("| openssl speed -evp sha384, 16 KiB blocks (the digest of measured pages) | %.0f | |%n", sha384);
        System.out.printf("| JDK SHA-384 in one warm JVM, 1 MiB updates | %.0f | %.2f |%n", jdk384, jdk384 / sha384);
        System.out.println();
        System.out.println("sev-snp-measure (the verifier tool): " + (onPath("sev-snp-measure") ? "on PATH but not timed"
                : "not available on this host (a Python package; PyPI is not reachable here)"));
    }

    /** The JDK's rate once the JIT has compiled the digest loop (SHA-NI intrinsics under C2). */
    private static double warmJdkRate(String algorithm) throws Exception {
        byte[] buf = new byte[1 << 20];
        new Random(3).nextBytes(buf);
        java.security.MessageDigest md = java.security.MessageDigest.getInstance(algorithm);
        double best = 0;
        for (int round = 0; round < 5; round++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < 256; i++) {
                md.update(buf);
            }
            md.digest();
            best = Math.max(best, 256.0 * buf.length / ((System.nanoTime() - t0) / 1e9) / 1e6);
        }
        return best;
    }

    private static Path sized(Path file, long seed) throws IOException {
        if (Files.exists(file) && Files.size(file) == PART) {
            return file;
        }
        byte[] chunk = new byte[1 << 20];
        Random random = new Random(seed);
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long n = 0; n < PART; n += chunk.length) {
                random.nextBytes(chunk);
                out.write(chunk);
            }
        }
        return file;
    }

    /** openssl's 16 KiB-block throughput in MB/s (it prints thousands of bytes per second). */
    private static double openssl(String digest) throws Exception {
        Process p = new ProcessBuilder("openssl", "speed", "-evp", digest, "-bytes", "16384", "-seconds", "3")
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        Matcher m = Pattern.compile(digest + "\\s+([0-9.]+)k").matcher(out);
        if (!m.find()) {
            throw new IllegalStateException("cannot read openssl speed output:\n" + out);
        }
        return Double.parseDouble(m.group(1)) / 1000;
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv("PATH").split(":")) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }

    private static List<String> concat(List<String> a, String... b) {
        return java.util.stream.Stream.concat(a.stream(), java.util.Arrays.stream(b)).toList();
    }
}
