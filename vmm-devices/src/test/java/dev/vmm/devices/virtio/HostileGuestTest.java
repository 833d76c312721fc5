package dev.vmm.devices.virtio;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmm.devices.virtio.block.VirtioBlock;
import dev.vmm.devices.virtio.console.VirtioConsole;
import dev.vmm.devices.virtio.net.VirtioNet;
import dev.vmm.devices.virtio.net.VirtioNetTest;
import dev.vmm.devices.virtio.pci.TestDriver;
import dev.vmm.devices.virtio.queue.Vring;
import dev.vmm.devices.virtio.rng.VirtioRng;
import dev.vmm.devices.virtio.vsock.VirtioVsock;
import dev.vmm.devices.virtio.vsock.VirtioVsockTest;
import dev.vmm.memory.GuestAddress;
import dev.vmm.memory.GuestMemory;
import dev.vmm.memory.GuestMemoryBuilder;
import dev.vmm.memory.RegionKind;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The attacks of a hostile guest, against every device: each one puts the device in NEEDS_RESET and is
 * counted; nothing escapes to the VMM, RAM outside the used ring is unchanged, the image file too.
 */
class HostileGuestTest {
    static final long RAM = 0x10_0000;
    static final long DATA = 0x8000;

    record Attack(String name, Consumer<RingWriter> setUp) {
        @Override
        public String toString() {
            return name;
        }
    }

    static final List<Attack> ATTACKS = List.of(
            new Attack("buffer outside RAM", r -> r.descriptor(0, RAM + 0x10000, 64, Vring.DESC_F_WRITE, 0).offer(0)),
            new Attack("buffer crossing the end of RAM", r -> r.descriptor(0, RAM - 32, 64, Vring.DESC_F_WRITE, 0).offer(0)),
            new Attack("descriptor loop", r -> r.descriptor(0, DATA, 16, Vring.DESC_F_NEXT, 1)
                    .descriptor(1, DATA, 16, Vring.DESC_F_NEXT | Vring.DESC_F_WRITE, 0).offer(0)),
            new Attack("head beyond the queue", r -> r.offer(200)),
            new Attack("avail.idx beyond the queue", r -> r.availIdx(1000)),
            new Attack("indirect in indirect", r -> r.descriptorAt(0x6000, 0, 0x6000, 16, Vring.DESC_F_INDIRECT, 0)
                    .descriptor(0, 0x6000, 16, Vring.DESC_F_INDIRECT, 0).offer(0)),
            new Attack("indirect table outside RAM", r -> r.descriptor(0, RAM - 16, 256, Vring.DESC_F_INDIRECT, 0).offer(0)),
            new Attack("next beyond the table", r -> r.descriptor(0, DATA, 16, Vring.DESC_F_NEXT, 999).offer(0)),
            new Attack("readable after writable", r -> r.descriptor(0, DATA, 16, Vring.DESC_F_NEXT | Vring.DESC_F_WRITE, 1)
                    .descriptor(1, DATA, 16, 0, 0).offer(0)));

    static Stream<Arguments> devicesAndAttacks() {
        return Stream.of("virtio-rng", "virtio-blk", "virtio-console", "virtio-net", "virtio-vsock").flatMap(d -> ATTACKS.stream().map(a -> Arguments.of(d, a)));
    }

    @TempDir Path dir;

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("devicesAndAttacks")
    void theDeviceAsksForAResetAndNothingElseHappens(String kind, Attack attack) throws Exception {
        Path image = Files.write(dir.resolve("disk.img"), new byte[64 * 512]);
        try (GuestMemory memory = new GuestMemoryBuilder().add("ram", 0, RAM, RegionKind.RAM).build()) {
            VirtioDevice device = device(kind, image);
            TestDriver driver = new TestDriver(device, memory, false);
            driver.enableMsix();
            driver.negotiate(TestDriver.standard(device.features()));
            driver.configVector(0);
            int q = readQueue(device);
            RingWriter ring = driver.queue(memory, q, 16, 0x1000, 1);
            driver.driverOk();
            attack.setUp().accept(ring);
            byte[] before = memory.read(GuestAddress.of(0), RAM);
            driver.kick(q);
            driver.kick(q);
            assertThat(driver.status() & DeviceStatus.NEEDS_RESET).isNotZero();
            assertThat(driver.function.violations()).isEqualTo(1);
            assertThat(driver.fired).as("only the configuration interrupt").containsExactly("fee00000:30");
            byte[] after = memory.read(GuestAddress.of(0), RAM);
            for (int i = 0; i < RAM; i++) {
                if (i < ring.used || i >= ring.used + Vring.usedRingSize(16)) {
                    assertThat(after[i]).as("byte 0x%x", i).isEqualTo(before[i]);
                }
            }
            assertThat(Files.readAllBytes(image)).isEqualTo(new byte[64 * 512]);
            driver.function.close();
            if (device instanceof VirtioBlock b) {
                b.close();
            }
        }
    }

    /** The queue the device reads from: the transmit queue of the console, the network and vsock, the others' only one. */
    private static int readQueue(VirtioDevice device) {
        return device instanceof VirtioVsock ? VirtioVsock.TXQ : device.queueMaxSizes().length - 1;
    }

    private VirtioDevice device(String kind, Path image) throws Exception {
        return switch (kind) {
            case "virtio-rng" -> new VirtioRng("rng0");
            case "virtio-blk" -> new VirtioBlock("blk0", image, false);
            case "virtio-net" -> new VirtioNet("net0", new byte[6], new VirtioNetTest.Wire());
            case "virtio-vsock" -> new VirtioVsock("vsock0", 3, new VirtioVsockTest.Host(), () -> { });
            default -> new VirtioConsole("console0", new ByteArrayOutputStream(), () -> { });
        };
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"virtio-rng", "virtio-blk", "virtio-console", "virtio-net", "virtio-vsock"})
    void aNotifyStormOnAnEmptyOrMissingQueueIsHarmless(String kind) throws Exception {
        Path image = Files.write(dir.resolve("disk.img"), new byte[64 * 512]);
        try (GuestMemory memory = new GuestMemoryBuilder().add("ram", 0, RAM, RegionKind.RAM).build()) {
            VirtioDevice device = device(kind, image);
            TestDriver driver = new TestDriver(device, memory, false);
            driver.enableMsix();
            driver.negotiate(TestDriver.standard(device.features()));
            int q = readQueue(device);
            driver.queue(memory, q, 16, 0x1000, 1);
            driver.driverOk();
            for (int i = 0; i < 100_000; i++) {
                driver.kick(i % 8);               // the device's queues and ones it does not have
            }
            assertThat(driver.function.violations()).isZero();
            assertThat(driver.status() & DeviceStatus.NEEDS_RESET).isZero();
            assertThat(driver.fired).as("nothing was used, nothing to signal").isEmpty();
            driver.function.close();
            if (device instanceof AutoCloseable c) {
                c.close();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"virtio-rng", "virtio-blk", "virtio-console", "virtio-net", "virtio-vsock"})
    void aResetWhileTheIoThreadServesRequestsLeavesTheDeviceUsable(String kind) throws Exception {
        Path image = Files.write(dir.resolve("disk.img"), new byte[64 * 512]);
        try (GuestMemory memory = new GuestMemoryBuilder().add("ram", 0, RAM, RegionKind.RAM).build()) {
            VirtioDevice device = device(kind, image);
            TestDriver driver = new TestDriver(device, memory, false);
            int q = readQueue(device);
            var stop = new AtomicBoolean();
            var failure = new AtomicReference<Throwable>();
            // The I/O thread: serves the queue as fast as it can, as if the guest kept notifying.
            Thread io = Thread.ofPlatform().start(() -> {
                try {
                    while (!stop.get()) {
                        driver.function.queueNotified(q);
                    }
                } catch (Throwable t) {
                    failure.set(t);
                }
            });
            // The vCPU: sets the device up with requests in flight, then resets it, over and over.
            for (int round = 0; round < 300; round++) {
                driver.negotiate(TestDriver.standard(device.features()));
                // A driver starts a queue on zeroed rings (avail.idx 0); stale ones from an earlier round would
                // move avail.idx backwards, which the device rightly refuses.
                long base = 0x1000 + (round % 4) * 0x1000L;
                memory.write(GuestAddress.of(base), new byte[0x1000]);
                RingWriter ring = driver.queue(memory, q, 16, base, 0xffff);
                driver.driverOk();
                for (int i = 0; i < 8; i++) {
                    ring.descriptor(i, DATA + 0x100L * i, 16, Vring.DESC_F_NEXT, 8 + i)
                            .descriptor(8 + i, DATA + 0x1000 + 0x100L * i, 64, Vring.DESC_F_WRITE, 0).offer(i);
                }
                driver.reset();
                assertThat(driver.status()).isZero();
            }
            stop.set(true);
            io.join();
            assertThat(failure.get()).isNull();
            assertThat(driver.function.violations()).isZero();
            driver.function.close();
            if (device instanceof AutoCloseable c) {
                c.close();
            }
        }
    }
}
