package dev.vmm.tests.bench;

import dev.vmm.tests.console.ConsoleSession;
import dev.vmm.core.arch.SoftwareKvm;
import dev.vmm.tests.linux.Initramfs;
import dev.vmm.tests.linux.SoftwareKvmCmdline;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Launch to /init with Debian's 6.12 cloud kernel (build/linux, from tests/fixtures/debian-kernel) and
 * an initramfs whose /init says hello and powers off: this VMM's direct PVH boot against QEMU's
 * {@code -M microvm -kernel} on the same kernel, initrd and command line. QEMU runs with
 * {@code -accel tcg} where KVM has no hardware virtualization (it cannot get past the kernel's int3
 * self-test with {@code -accel kvm} there), else with {@code -accel kvm}; the table says which.
 *
 * <p>Usage: {@code bin/bench linux [--append EXTRA]}; the initramfs is the tests' /init in a cpio.
 */
public final class LinuxBoot {
    private static final long TIMEOUT_SECONDS = 3 * 3600;
    private static final String MARK = "init: hello";

    private LinuxBoot() {}

    record Result(double toInit, double total, int status, String stderr) {}

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("vmm.root", ".")).toAbsolutePath().normalize();
        Path vmlinux = root.resolve("build/linux/vmlinux");
        Path init = root.resolve("tests/target/test-classes/kernel/init");
        if (!Files.exists(vmlinux) || !Files.exists(init)) {
            System.err.println("bench linux: needs build/linux/vmlinux (tests/fixtures/debian-kernel) and the tests' init");
            System.exit(1);
        }
        Path cpio = Files.createTempFile("vmm-bench-initramfs", ".cpio");
        Files.write(cpio, Initramfs.withInit(Files.readAllBytes(init)).toBytes());
        String initrd = cpio.toString();
        String extra = args.length > 1 && args[0].equals("--append") ? " " + args[1] : "";
        boolean software = SoftwareKvm.detect();
        // The same command line for both, with what the guest needs on a software KVM (QEMU TCG would not).
        String cmdline = SoftwareKvmCmdline.forThisHost("console=ttyS0" + extra);
        String accel = software ? "tcg" : "kvm";
        Result qemu = boot(List.of("qemu-system-x86_64", "-accel", accel, "-M", "microvm", "-cpu", software ? "max" : "host",
                "-nodefaults", "-no-user-config", "-display", "none", "-serial", "stdio", "-m", "512M", "-no-reboot",
                "-kernel", vmlinux.toString(), "-initrd", initrd, "-append", cmdline));
        List<String> vmm = new ArrayList<>(List.of(root.resolve("bin/vmm").toString(), "run", "--kernel",
                vmlinux.toString(), "--initrd", initrd, "--append", cmdline, "--memory", "512M", "-v"));
        Result ours = boot(vmm);
        System.out.println("| launch to /init (s) | vmm | QEMU " + accel.toUpperCase() + " | vmm / QEMU |");
        System.out.println("|---|---:|---:|---:|");
        System.out.printf("| Debian 6.12 cloud kernel, PVH, 512 MiB, 1 vCPU | %.1f | %.1f | %.2f |%n", ours.toInit,
                qemu.toInit, ours.toInit / qemu.toInit);
        System.out.printf("| ... to power-off | %.1f | %.1f | %.2f |%n", ours.total, qemu.total, ours.total / qemu.total);
        System.out.println();
        // run -v's last line: the VMM's overhead as Firecracker counts it, for this guest.
        ours.stderr.lines().filter(l -> l.contains("exits:") || l.contains("emulation assist") || l.contains("VMM overhead"))
                .forEach(System.out::println);
    }

    static Result boot(List<String> command) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        try (ConsoleSession s = new ConsoleSession(command)) {
            s.await(MARK, 0, TIMEOUT_SECONDS);
            double init = (System.nanoTime() - t0) / 1e9;
            int status = s.waitFor(600);
            return new Result(init, (System.nanoTime() - t0) / 1e9, status, s.errors());
        }
    }
}
