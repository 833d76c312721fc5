package dev.vmm.tests.container;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The build context of the VMM's container image, made here because no registry is reachable and no
 * base image may be pulled: {@code FROM scratch}, a jlink runtime of the JDK modules the VMM uses, the
 * application's jar, and the glibc files the runtime links against (as {@code ldd} lists them), at
 * their own paths. {@code main} writes it for {@code docker build}; the container tests build it with
 * Testcontainers.
 */
public final class ImageContext {
    /** java.logging for the VMM's logs, jdk.unsupported for signals and Netty; nothing else is on its paths. */
    public static final String MODULES = "java.base,java.logging,jdk.unsupported";
    public static final String VMM_HOME = "/opt/vmm";
    private static final Pattern LIBRARY = Pattern.compile("(?:=>\\s*)?(/\\S+)\\s+\\(0x");

    private ImageContext() {}

    /** Writes {@code Dockerfile} and {@code rootfs/} into {@code dir} (empty or missing), from the packaged VMM under {@code root}. */
    public static Path write(Path root, Path dir) throws IOException, InterruptedException {
        Path rootfs = dir.resolve("rootfs");
        Path java = rootfs.resolve(VMM_HOME.substring(1)).resolve("java");
        Files.createDirectories(java.getParent());
        Path jlink = Path.of(System.getProperty("java.home"), "bin", "jlink");
        run(List.of(jlink.toString(), "--add-modules", MODULES, "--strip-debug", "--no-header-files", "--no-man-pages",
                "--output", java.toString()));
        Path app = rootfs.resolve(VMM_HOME.substring(1)).resolve("app");
        Files.createDirectories(app);
        Files.copy(root.resolve("vmm/target/vmm.jar"), app.resolve("vmm.jar"));     // every class it runs
        for (String lib : linkedLibraries(java)) {
            Path to = rootfs.resolve(lib.substring(1));
            Files.createDirectories(to.getParent());
            Files.copy(Path.of(lib), to, StandardCopyOption.REPLACE_EXISTING);     // the file a symlink names
        }
        Files.createDirectories(rootfs.resolve("tmp"));
        Files.createDirectories(rootfs.resolve("run/vmm"));
        Files.writeString(dir.resolve("Dockerfile"), """
                FROM scratch
                COPY rootfs/ /
                ENTRYPOINT ["%1$s/java/bin/java", "-XX:+UseSerialGC", "-Xshare:auto", "-Djava.io.tmpdir=/tmp", \
                "--enable-native-access=ALL-UNNAMED", "-jar", "%1$s/app/vmm.jar"]
                """.formatted(VMM_HOME));
        return dir;
    }

    /** Every shared object the runtime's launcher and libraries load from the host, the dynamic loader included. */
    static TreeSet<String> linkedLibraries(Path java) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("ldd", java.resolve("bin/java").toString()));
        try (Stream<Path> libs = Files.walk(java.resolve("lib"))) {
            libs.filter(p -> p.toString().endsWith(".so")).forEach(p -> command.add(p.toString()));
        }
        TreeSet<String> found = new TreeSet<>();
        for (String line : run(command).lines().toList()) {
            Matcher m = LIBRARY.matcher(line);
            if (m.find() && !m.group(1).startsWith(java.toString())) {
                found.add(m.group(1));
            }
        }
        return found;
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || (p.exitValue() != 0 && !command.getFirst().equals("ldd"))) {
            throw new IOException(String.join(" ", command) + " failed:\n" + out);
        }
        return out;
    }

    /** {@code bin/vmm-image}: writes the context into the directory given, for {@code docker build}. */
    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("vmm.root", ".")).toAbsolutePath().normalize();
        System.out.println(write(root, Path.of(args[0]).toAbsolutePath()));
    }
}
