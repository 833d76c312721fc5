package dev.vmm.tests.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Side-by-side benchmark of this VMM against QEMU on the same firmware binary (the embedded test
 * guest), on the same host: whole-process time from launch to guest exit, peak RSS, and the cost of
 * one guest port-I/O exit handled in userspace (the guest's "pio:N" scenario: N OUTs to port 0x80,
 * minus the same run with N = 0). Both VMMs are launched as their users launch them.
 *
 * <p>Usage: {@code bin/bench [--runs N] [--pio N]}.
 */
public final class QemuComparison {
    private QemuComparison() {}

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("vmm.root", ".")).toAbsolutePath().normalize();
        int runs = 15;
        int pio = 200_000;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--pio" -> pio = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        Path rom = root.resolve("firmware/target/classes/dev/vmm/firmware/test-guest.bin");
        if (!Files.exists(rom)) {
            throw new IllegalStateException(rom + " missing: build first (bin/vmm --version)");
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();

        System.out.printf("host: %s, %d CPUs; firmware: %s (%d bytes)%n", hostKernel(),
                Runtime.getRuntime().availableProcessors(), rom, Files.size(rom));
        System.out.printf("runs per row: %d (after 2 warm-ups); medians%n%n", runs);

        var jvm = Measurement.repeat(List.of(java, "-Xshare:auto", "-XX:+UseSerialGC", "-version"), 2, runs, 0);
        var ours = Measurement.repeat(vmm(root, "boot"), 2, runs, 0);
        var qemu = Measurement.repeat(qemu(rom, "boot", 1), 2, runs, 1);
        // The four port-I/O commands take turns, so that the host's drift (seen at +-5% from one minute
        // to the next here) falls on both VMMs alike rather than on whichever ran in a slow minute.
        int pioRuns = Math.max(5, runs / 2);
        var turns = Measurement.inTurns(List.of(vmm(root, "pio:0"), vmm(root, "pio:" + pio), qemu(rom, "pio:0", 1),
                qemu(rom, "pio:" + pio, 1)), new int[] {0, 0, 1, 1}, pioRuns);
        var ours0 = turns.get(0);
        var oursN = turns.get(1);
        var qemu0 = turns.get(2);
        var qemuN = turns.get(3);

        double oursBoot = Measurement.medianSeconds(ours);
        double qemuBoot = Measurement.medianSeconds(qemu);
        double oursRss = Measurement.medianRssMib(ours);
        double qemuRss = Measurement.medianRssMib(qemu);
        double oursExit = (Measurement.medianSeconds(oursN) - Measurement.medianSeconds(ours0)) / pio * 1e6;
        double qemuExit = (Measurement.medianSeconds(qemuN) - Measurement.medianSeconds(qemu0)) / pio * 1e6;

        System.out.println("| metric | vmm | QEMU | vmm / QEMU |");
        System.out.println("|---|---:|---:|---:|");
        row("launch to guest exit (s)", oursBoot, qemuBoot, "%.3f");
        row("peak RSS (MiB)", oursRss, qemuRss, "%.1f");
        row("one port-I/O exit to userspace (µs)", oursExit, qemuExit, "%.2f");
        System.out.printf("%nJVM floor (java -version): %.3f s, %.1f MiB peak RSS; vmm start-up above it: %.3f s%n",
                Measurement.medianSeconds(jvm), Measurement.medianRssMib(jvm), oursBoot - Measurement.medianSeconds(jvm));
        System.out.printf("pio:%d runs: vmm %.3f s vs %.3f s for pio:0; QEMU %.3f s vs %.3f s%n", pio,
                Measurement.medianSeconds(oursN), Measurement.medianSeconds(ours0),
                Measurement.medianSeconds(qemuN), Measurement.medianSeconds(qemu0));
        System.out.println("VMM overhead as Firecracker counts it (peak RSS minus the guest RAM the guest touched), "
                + "from run -v: " + footprint(root));
    }

    /** The footprint line {@code run -v} prints at the end, without its "vmm: " prefix. */
    private static String footprint(Path root) throws Exception {
        List<String> cmd = new ArrayList<>(vmm(root, "boot"));
        cmd.add("-v");
        Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes());
        p.waitFor();
        return err.lines().filter(l -> l.contains("VMM overhead")).map(l -> l.substring("vmm: ".length())).findFirst()
                .orElse("(not printed)");
    }

    private static void row(String name, double ours, double qemu, String format) {
        System.out.printf("| %s | " + format + " | " + format + " | %.2f |%n", name, ours, qemu, ours / qemu);
    }

    /** What a user runs: the launcher (JDK 25, AOT cache). */
    private static List<String> vmm(Path root, String scenario) {
        return List.of(root.resolve("bin/vmm").toString(), "run", "--serial", "none", "--memory", "128M",
                "--fw-cfg", "name=opt/vmm/scenario,string=" + scenario);
    }

    /** The reference command line; isa-debug-exit turns the guest's 0 into status 1. */
    private static List<String> qemu(Path rom, String scenario, int cpus) {
        List<String> cmd = new ArrayList<>(List.of("qemu-system-x86_64", "-accel", "kvm", "-M", "microvm",
                "-nodefaults", "-no-user-config", "-display", "none", "-bios", rom.toString(),
                "-device", "isa-debug-exit,iobase=0x501,iosize=2", "-m", "128M", "-smp", String.valueOf(cpus),
                "-fw_cfg", "name=opt/vmm/scenario,string=" + scenario));
        return cmd;
    }

    private static String hostKernel() throws Exception {
        return Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
    }
}
