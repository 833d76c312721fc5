package dev.vmm.tests.bench.jmh;

import dev.vmm.devices.virtio.block.VirtioBlock;
import dev.vmm.devices.virtio.net.VirtioNet;
import dev.vmm.devices.virtio.pci.MsiRouter;
import dev.vmm.devices.virtio.pci.VirtioPciFunction;
import dev.vmm.devices.virtio.VirtioDevice;
import dev.vmm.devices.virtio.vsock.VirtioVsock;
import dev.vmm.devices.virtio.vsock.VsockPacket;
import dev.vmm.memory.GuestAddress;
import dev.vmm.memory.GuestMemory;
import dev.vmm.memory.GuestMemoryBuilder;
import dev.vmm.memory.RegionKind;
import dev.vmm.tests.bench.BenchDriver;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The VMM's own cost per virtio request, without a guest: the transport's notification, the split
 * queue's checks of every guest value, the device's work and the used-ring write, as the I/O thread
 * runs them. The driver's side is written into guest memory by hand ({@link BenchDriver}).
 *
 * <p>Usage: {@code bin/bench jmh}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class QueueBenchmarks {
    private static final MsiRouter NO_MSI = (o, a, d) -> new MsiRouter.Route() {
        @Override public void trigger() {}
        @Override public void close() {}
    };
    static final long FRAME = 0x8000;
    static final long LARGE_HEADER = 0x20000;
    static final long LARGE_DATA = 0x30000;
    static final long LARGE_STATUS = 0x40000;

    static VirtioPciFunction function(VirtioDevice device, GuestMemory memory) {
        return new VirtioPciFunction(device, memory, NO_MSI, level -> { }, false, (from, to) -> { });
    }

    /** virtio-blk: a 4 KiB read from the page cache into the guest's buffer. */
    @State(Scope.Thread)
    public static class Block {
        GuestMemory memory;
        VirtioBlock disk;
        BenchDriver driver;
        Path image;
        long block;

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            image = Files.createTempFile("vmm-jmh", ".img");
            try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
                f.setLength(64L << 20);
            }
            memory = new GuestMemoryBuilder().add("ram", 0, 1 << 20, RegionKind.RAM).build();
            disk = new VirtioBlock("jmh", image, true);
            driver = new BenchDriver(function(disk, memory), memory);
            // A 64 KiB read at head 3: header, data, status.
            driver.descriptor(3, LARGE_HEADER, 16, dev.vmm.devices.virtio.queue.Vring.DESC_F_NEXT, 4);
            driver.descriptor(4, LARGE_DATA, 65536, dev.vmm.devices.virtio.queue.Vring.DESC_F_NEXT
                    | dev.vmm.devices.virtio.queue.Vring.DESC_F_WRITE, 5);
            driver.descriptor(5, LARGE_STATUS, 1, dev.vmm.devices.virtio.queue.Vring.DESC_F_WRITE, 0);
        }

        void read64k() {
            memory.writeInt(GuestAddress.of(LARGE_HEADER), 0);
            memory.writeLong(GuestAddress.of(LARGE_HEADER + 8), (block++ & 1023) * 128);
            driver.request(3);
            if (memory.readByte(GuestAddress.of(LARGE_STATUS)) != 0) {
                throw new IllegalStateException("the benchmark's read failed");
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            disk.close();
            memory.close();
            Files.delete(image);
        }
    }

    /** virtio-net: one 64-byte frame out (its 12-byte header dropped) to a backend that takes it. */
    @State(Scope.Thread)
    public static class Net {
        GuestMemory memory;
        BenchDriver driver;

        @Setup(Level.Trial)
        public void setUp() {
            memory = new GuestMemoryBuilder().add("ram", 0, 1 << 20, RegionKind.RAM).build();
            VirtioNet net = new VirtioNet("jmh", new byte[6], new VirtioNet.Backend() {
                @Override public int receive(byte[] frame) { return -1; }
                @Override public boolean send(byte[] frame, int length) { return true; }
            });
            driver = new BenchDriver(function(net, memory), memory, VirtioNet.TXQ);
            driver.descriptor(0, FRAME, 12 + 64, 0, 0);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            memory.close();
        }
    }

    /** virtio-vsock: one 64-byte RW packet from the guest, checked and handed to the host side. */
    @State(Scope.Thread)
    public static class Vsock {
        GuestMemory memory;
        BenchDriver driver;
        long packets;

        @Setup(Level.Trial)
        public void setUp() {
            memory = new GuestMemoryBuilder().add("ram", 0, 1 << 20, RegionKind.RAM).build();
            VirtioVsock vsock = new VirtioVsock("jmh", 3, new VirtioVsock.Backend() {
                @Override public void send(VsockPacket packet) { packets++; }
                @Override public boolean pending() { return false; }
                @Override public boolean backlogged() { return false; }
                @Override public VsockPacket poll(int maxData) { return null; }
                @Override public void reset() {}
            }, () -> { });
            driver = new BenchDriver(function(vsock, memory), memory, VirtioVsock.TXQ);
            VsockPacket p = new VsockPacket(3, VsockPacket.CID_HOST, 6000, 1234, VsockPacket.TYPE_STREAM,
                    VsockPacket.OP_RW, 0, 65536, 0, new byte[64]);
            memory.write(GuestAddress.of(FRAME), p.header());
            driver.descriptor(0, FRAME, VsockPacket.HEADER + 64, 0, 0);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            memory.close();
        }
    }

    @Benchmark
    public void blockRead4k(Block s) {
        s.driver.read4k(s.block++ & 16383);
    }

    @Benchmark
    public void blockRead64k(Block s) {
        s.read64k();
    }

    @Benchmark
    public void netTransmit64(Net s) {
        s.driver.request(0);
    }

    @Benchmark
    public void vsockTransmit64(Vsock s, Blackhole bh) {
        s.driver.request(0);
        bh.consume(s.packets);
    }
}
