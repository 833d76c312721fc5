package dev.vmm.tests.bench;

import dev.vmm.core.sys.UnixDatagram;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * virtio-net side by side with QEMU: the test guest's polled driver ("nbench:N") sends N frames of 64
 * bytes, one in flight, through this VMM's virtio-net and through QEMU's modern-only virtio-net-pci
 * ({@code -netdev dgram}, the same kind of backend: a unix datagram socket per frame) to the same peer,
 * which counts them. Packets per second from the time of N frames minus the time of none; the peer's
 * count says how many arrived (a datagram the peer's queue cannot take is dropped by this VMM, held and
 * retried by QEMU).
 *
 * <p>Usage: {@code bin/bench net [--runs N]}.
 */
public final class NetBench {
    private NetBench() {}

    public static void main(String[] args) throws Exception {
        Path root = Path.of(System.getProperty("vmm.root", ".")).toAbsolutePath().normalize();
        int runs = args.length > 1 && args[0].equals("--runs") ? Integer.parseInt(args[1]) : 5;
        Path rom = root.resolve("firmware/target/classes/dev/vmm/firmware/test-guest.bin");
        Path dir = Files.createTempDirectory("vmm-bench-net");
        Path peerPath = dir.resolve("peer.sock");
        int n = 20_000;
        try (Peer peer = new Peer(peerPath)) {
            Result ours = run(peer, command(root, rom, peerPath, dir, "nbench:", false), n, runs, 0);
            Result qemu = run(peer, command(root, rom, peerPath, dir, "nbench:", true), n, runs, 1);
            System.out.println("| virtio-net, 64-byte frames out, one in flight | vmm | QEMU | vmm / QEMU |");
            System.out.println("|---|---:|---:|---:|");
            System.out.printf("| frames/s | %.0f | %.0f | %.2f |%n", ours.perSecond, qemu.perSecond, ours.perSecond / qemu.perSecond);
            System.out.printf("| frames the peer received | %.1f%% | %.1f%% | |%n", 100 * ours.delivered, 100 * qemu.delivered);
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.delete(dir);
        }
    }

    record Result(double perSecond, double delivered) {}

    private static Result run(Peer peer, List<String> base, int n, int runs, int status) throws Exception {
        double[] none = new double[runs];
        double[] some = new double[runs];
        long got = 0;
        for (int i = -1; i < runs; i++) {                       // one warm-up of each
            Measurement zero = check(Measurement.of(with(base, 0)), status, base);
            long before = peer.frames.get();
            Measurement full = check(Measurement.of(with(base, n)), status, base);
            Thread.sleep(50);                                   // the peer drains what is queued
            if (i >= 0) {
                none[i] = zero.seconds();
                some[i] = full.seconds();
                got += peer.frames.get() - before;
            }
        }
        double perFrame = (Measurement.median(some) - Measurement.median(none)) / n;
        return new Result(1 / perFrame, got / (double) (n * (long) runs));
    }

    private static Measurement check(Measurement m, int status, List<String> command) {
        if (m.status() != status) {
            throw new IllegalStateException("exit status " + m.status() + " (expected " + status + "): " + command);
        }
        return m;
    }

    private static List<String> with(List<String> base, int n) {
        return base.stream().map(a -> a.replace("nbench:", "nbench:" + n)).toList();
    }

    private static List<String> command(Path root, Path rom, Path peer, Path dir, String scenario, boolean qemu) {
        if (!qemu) {
            return List.of(root.resolve("bin/vmm").toString(), "run", "--serial", "none", "--memory", "128M", "--net",
                    "socket=" + peer, "--fw-cfg", "name=opt/vmm/scenario,string=" + scenario);
        }
        return new ArrayList<>(List.of("qemu-system-x86_64", "-accel", "kvm", "-M", "pc", "-nodefaults", "-no-user-config",
                "-display", "none", "-bios", rom.toString(), "-device", "isa-debug-exit,iobase=0x501,iosize=2", "-m", "128M",
                "-fw_cfg", "name=opt/vmm/scenario,string=" + scenario,
                "-netdev", "dgram,id=n0,local.type=unix,local.path=" + dir.resolve("qemu.sock") + ",remote.type=unix,remote.path="
                        + peer,
                "-device", "virtio-net-pci,netdev=n0,disable-legacy=on,addr=2,romfile="));
    }

    /** Bound at the path both VMMs send to; counts datagrams. */
    static final class Peer implements AutoCloseable {
        final AtomicLong frames = new AtomicLong();
        private final UnixDatagram socket;
        private final Thread thread;
        private volatile boolean stop;

        Peer(Path path) {
            socket = UnixDatagram.bind(path);
            thread = Thread.ofPlatform().daemon().start(() -> {
                try (Arena a = Arena.ofConfined()) {
                    MemorySegment buf = a.allocate(2048);
                    while (!stop) {
                        if (socket.receive(buf) >= 0) {
                            frames.incrementAndGet();
                        } else {
                            LockSupport.parkNanos(20_000);
                        }
                    }
                }
            });
        }

        @Override
        public void close() throws InterruptedException {
            stop = true;
            thread.join();
            socket.close();
        }
    }
}
