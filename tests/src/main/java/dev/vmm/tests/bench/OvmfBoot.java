package dev.vmm.tests.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

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

    static Result boot(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).start();
        StringBuffer out = new StringBuffer();
        StringBuffer err = new StringBuffer();
        pump(p.getInputStream(), out);
        pump(p.getErrorStream(), err);
        OutputStream in = p.getOutputStream();
        long t0 = System.nanoTime();
        long deadline = t0 + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        boolean escaped = false;
        double prompt = -1;
        while (System.nanoTime() < deadline && p.isAlive()) {
            if (!escaped && out.indexOf("startup.nsh") >= 0) {
                in.write(0x1b);
                in.flush();
                escaped = true;
            }
            if (escaped && out.indexOf("Shell> ") >= 0) {
                prompt = (System.nanoTime() - t0) / 1e9;
                in.write("reset -s\r".getBytes(StandardCharsets.US_ASCII));
                in.flush();
                break;
            }
            Thread.sleep(20);
        }
        if (!p.waitFor(600, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        if (prompt < 0) {
            throw new IllegalStateException(String.join(" ", command) + ": no shell prompt; stdout:\n" + out
                    + "\nstderr:\n" + err);
        }
        return new Result(prompt, p.exitValue(), err.toString());
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
                // ended
            }
        });
    }
}
