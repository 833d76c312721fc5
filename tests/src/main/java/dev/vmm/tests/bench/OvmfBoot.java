package dev.vmm.tests.bench;

import dev.vmm.tests.console.ConsoleSession;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Launch to the UEFI shell prompt with Debian's OVMF.fd, this VMM against QEMU on the same host. QEMU
 * with {@code -accel kvm} stops at OVMF's first FWAIT on this host's KVM (no hardware virtualization),
 * so it runs with {@code -accel tcg}: the comparison is against QEMU's own instruction emulator. Both
 * skip the startup.nsh countdown with ESC as soon as it is offered, then power off with
 * {@code reset -s}. This VMM reports its exits by reason ({@code -v}).
 *
 * <p>Usage: {@code bin/bench ovmf [--memory SIZE]}.
 */
public final class OvmfBoot {
    private static final String FIRMWARE = "/usr/share/ovmf/OVMF.fd";
    private static final long TIMEOUT_SECONDS = 3 * 3600;

    private OvmfBoot() {}

    record Result(double toPrompt, int status, String stderr) {}

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("vmm.root", ".")).toAbsolutePath().normalize();
        String memory = args.length > 1 && args[0].equals("--memory") ? args[1] : "512M";
        Result qemu = boot(List.of("qemu-system-x86_64", "-accel", "tcg", "-M", "pc", "-nodefaults", "-no-user-config",
                "-display", "none", "-bios", FIRMWARE, "-serial", "stdio", "-m", memory, "-net", "none"));
        Result vmm = boot(List.of(root.resolve("bin/vmm").toString(), "run", "--firmware", FIRMWARE, "--memory",
                memory, "-v"));
        System.out.println("| launch to Shell> (s) | vmm | QEMU TCG | vmm / QEMU |");
        System.out.println("|---|---:|---:|---:|");
        System.out.printf("| OVMF.fd, %s | %.1f | %.1f | %.1f |%n", memory, vmm.toPrompt, qemu.toPrompt,
                vmm.toPrompt / qemu.toPrompt);
        System.out.println();
        vmm.stderr.lines().filter(l -> l.contains("exits:") || l.contains("emulation assist")).forEach(System.out::println);
    }

    /** Launch to the prompt, ESC at the startup.nsh countdown, then {@code reset -s}. */
    static Result boot(List<String> command) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        try (ConsoleSession s = new ConsoleSession(command)) {
            int at = s.await("startup.nsh", 0, TIMEOUT_SECONDS);
            s.key(0x1b);
            s.await("Shell> ", at, 600);
            double prompt = (System.nanoTime() - t0) / 1e9;
            s.type("reset -s");
            return new Result(prompt, s.waitFor(600), s.errors());
        }
    }
}
