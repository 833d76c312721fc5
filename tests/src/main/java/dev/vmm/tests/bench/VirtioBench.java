package dev.vmm.tests.bench;

import dev.vmm.devices.virtio.block.VirtioBlock;
import dev.vmm.devices.virtio.pci.MsiRouter;
import dev.vmm.devices.virtio.pci.VirtioPciFunction;
import dev.vmm.devices.virtio.queue.Vring;
import dev.vmm.memory.GuestAddress;
import dev.vmm.memory.GuestMemory;
import dev.vmm.memory.GuestMemoryBuilder;
import dev.vmm.memory.RegionKind;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * virtio-blk side by side with QEMU on the same guest (the test guest's polled driver, "vbench:N:S":
 * N reads of S sectors, one in flight) and the same kind of device (QEMU's modern-only virtio-blk-pci on
 * the same raw image, QEMU's {@code pc} machine): 4 KiB IOPS and 64 KiB MB/s, each from the time of N
 * reads minus the time of none. And the VMM's own cost per request: the transport, queue and device
 * serving requests in this JVM, without a guest (a harness, not JMH: one device, hot loop, median of 5).
 *
 * <p>Usage: {@code bin/bench virtio [--runs N]}.
 */
public final class VirtioBench {
    private VirtioBench() {}

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("vmm.root", ".")).toAbsolutePath().normalize();
        int runs = args.length > 1 && args[0].equals("--runs") ? Integer.parseInt(args[1]) : 5;
        Path rom = root.resolve("firmware/target/classes/dev/vmm/firmware/test-guest.bin");
        Path image = Files.createTempFile("vmm-bench-disk", ".img");
        try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
            f.setLength(64L << 20);
        }
        int small = 20_000;
        int large = 4_000;
        double[] ours = {perRequest(root, rom, image, small, 8, runs, false), perRequest(root, rom, image, large, 128, runs, false)};
        double[] qemu = {perRequest(root, rom, image, small, 8, runs, true), perRequest(root, rom, image, large, 128, runs, true)};
        System.out.println("| virtio-blk, one request in flight | vmm | QEMU | vmm / QEMU |");
        System.out.println("|---|---:|---:|---:|");
        System.out.printf("| 4 KiB reads (IOPS) | %.0f | %.0f | %.2f |%n", 1 / ours[0], 1 / qemu[0], qemu[0] / ours[0]);
        System.out.printf("| 64 KiB reads (MB/s) | %.1f | %.1f | %.2f |%n", 65536 / ours[1] / 1e6, 65536 / qemu[1] / 1e6,
                qemu[1] / ours[1]);
        System.out.printf("%nthe VMM's own cost per 4 KiB read (transport, queue, device, page-cache read): %.2f µs%n",
                inProcessNanos(image) / 1000);
        Files.delete(image);
    }

    /** Seconds per request: (time of n requests - time of none) / n, medians of {@code runs}. */
    private static double perRequest(Path root, Path rom, Path image, int n, int sectors, int runs, boolean qemu)
            throws Exception {
        var none = Measurement.repeat(command(root, rom, image, "vbench:0:" + sectors, qemu), 1, runs, qemu ? 1 : 0);
        var some = Measurement.repeat(command(root, rom, image, "vbench:" + n + ":" + sectors, qemu), 1, runs, qemu ? 1 : 0);
        return (Measurement.medianSeconds(some) - Measurement.medianSeconds(none)) / n;
    }

    private static List<String> command(Path root, Path rom, Path image, String scenario, boolean qemu) {
        if (!qemu) {
            return List.of(root.resolve("bin/vmm").toString(), "run", "--serial", "none", "--memory", "128M", "--disk",
                    "path=" + image, "--fw-cfg", "name=opt/vmm/scenario,string=" + scenario);
        }
        return new ArrayList<>(List.of("qemu-system-x86_64", "-accel", "kvm", "-M", "pc", "-nodefaults", "-no-user-config",
                "-display", "none", "-bios", rom.toString(), "-device", "isa-debug-exit,iobase=0x501,iosize=2", "-m", "128M",
                "-fw_cfg", "name=opt/vmm/scenario,string=" + scenario, "-drive",
                "file=" + image + ",if=none,id=d0,format=raw", "-device", "virtio-blk-pci,drive=d0,disable-legacy=on,addr=2"));
    }

    /** Nanoseconds per 4 KiB read served by the transport and device in this JVM, the driver's side written directly. */
    static double inProcessNanos(Path image) throws Exception {
        try (GuestMemory memory = new GuestMemoryBuilder().add("ram", 0, 1 << 20, RegionKind.RAM).build();
             VirtioBlock disk = new VirtioBlock("bench", image, true)) {
            MsiRouter router = (o, a, d) -> new MsiRouter.Route() {
                @Override public void trigger() {}
                @Override public void close() {}
            };
            var f = new VirtioPciFunction(disk, memory, router, level -> { }, false, (from, to) -> { });
            var driver = new dev.vmm.tests.bench.BenchDriver(f, memory);
            double[] samples = new double[5];
            for (int s = 0; s < samples.length; s++) {
                int n = 200_000;
                long t0 = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    driver.read4k(i % 16000);
                }
                samples[s] = (System.nanoTime() - t0) / (double) n;
            }
            return Measurement.median(samples);
        }
    }
}
