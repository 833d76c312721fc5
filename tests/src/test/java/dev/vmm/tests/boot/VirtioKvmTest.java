package dev.vmm.tests.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmm.app.config.CharDevice;
import dev.vmm.app.config.DiskConfig;
import dev.vmm.app.config.NetConfig;
import dev.vmm.tests.net.EchoPeer;
import dev.vmm.app.config.RngConfig;
import dev.vmm.app.config.VmConfig;
import dev.vmm.core.vcpu.StopReason;
import dev.vmm.devices.virtio.DeviceStatus;
import dev.vmm.devices.virtio.pci.VirtioPciFunction;
import dev.vmm.firmware.TestGuest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * virtio-blk and virtio-rng on real KVM, driven by the test guest's own polled driver: BARs placed by
 * the device manager, notifications through ioeventfds (no MMIO exit), requests served on the I/O
 * thread, and the hostile guest's buffer outside RAM answered with DEVICE_NEEDS_RESET.
 */
class VirtioKvmTest {
    @TempDir Path dir;

    private Path image() throws Exception {
        byte[] disk = new byte[64 * 1024];
        byte[] head = "BOOTSECTOR-DATA!".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(head, 0, disk, 0, head.length);
        return Files.write(dir.resolve("disk.img"), disk);
    }

    private VmConfig config(String scenario, Path image, boolean readonly) {
        return TestVm.scenario(1, scenario).toBuilder().addDisk(new DiskConfig(image, readonly)).rng(new RngConfig(null))
                .console(new CharDevice.File(dir.resolve("hvc0.txt"))).build();
    }

    @Test
    void theGuestReadsWritesAndFlushesTheDiskAndGetsRandomBytes() throws Exception {
        Path image = image();
        try (TestVm vm = new TestVm(config("virtio", image, false))) {
            assertThat(vm.start().awaitStop()).as(vm.output()).isEqualTo(new StopReason.GuestExit(0));
            assertThat(vm.output()).contains("virtio-blk: 128 sectors, sector 0: 424f4f54534543544f522d4441544121")
                    .contains("virtio-blk: wrote sector 1, flushed").containsPattern("virtio-rng: 64 bytes, \\d+ distinct")
                    .contains("virtio-console: sent 32 bytes").contains("virtio: 3 devices");
            for (VirtioPciFunction f : vm.machine.virtio()) {
                assertThat(f.doorbellExits()).as("%s: notifications reach the device by ioeventfd", f.name()).isZero();
                assertThat(f.violations()).isZero();
                assertThat(f.status() & DeviceStatus.DRIVER_OK).isNotZero();
            }
        }
        assertThat(Files.readString(dir.resolve("hvc0.txt"))).isEqualTo("hvc0: hello from the test guest\n");
        byte[] sector1 = Arrays.copyOfRange(Files.readAllBytes(image), 512, 1024);
        assertThat(new String(sector1, StandardCharsets.US_ASCII)).startsWith("written by the vmm test guest\0");
    }

    @Test
    void aFrameReachesTheHostPeerAndItsAnswerComesBack() throws Exception {
        Path socket = dir.resolve("peer.sock");
        try (EchoPeer peer = new EchoPeer(socket);
             TestVm vm = new TestVm(TestVm.scenario(1, "virtio").toBuilder()
                     .addNet(new NetConfig(null, socket, "52:54:00:aa:bb:cc")).build())) {
            assertThat(vm.start().awaitStop()).as(vm.output()).isEqualTo(new StopReason.GuestExit(0));
            assertThat(vm.output()).contains("virtio-net: mac 525400aabbcc, received 64 bytes: pong from the vmm test guest");
            assertThat(peer.frames).hasSize(1);
            byte[] f = peer.frames.getFirst();
            assertThat(f).hasSize(64);
            assertThat(Arrays.copyOfRange(f, 6, 12)).as("source MAC").containsExactly(0x52, 0x54, 0, 0xaa, 0xbb, 0xcc);
            assertThat(vm.machine.virtio().getFirst().doorbellExits()).isZero();
        }
    }

    @Test
    void aReadOnlyDiskRefusesTheGuestsWrite() throws Exception {
        Path image = image();
        byte[] before = Files.readAllBytes(image);
        try (TestVm vm = new TestVm(config("virtio", image, true))) {
            assertThat(vm.start().awaitStop()).isEqualTo(new StopReason.GuestExit(TestGuest.EXIT_VIRTIO_FAILED));
            assertThat(vm.output()).contains("sector 0: 424f4f54").contains("virtio: virtio-blk write failed");
        }
        assertThat(Files.readAllBytes(image)).isEqualTo(before);
    }

    @Test
    void aBufferOutsideGuestRamPutsEachDeviceInNeedsReset() throws Exception {
        Path image = image();
        byte[] before = Files.readAllBytes(image);
        try (TestVm vm = new TestVm(config("virtio-hostile", image, false))) {
            assertThat(vm.start().awaitStop()).as(vm.output()).isEqualTo(new StopReason.GuestExit(0));
            assertThat(vm.output()).contains("virtio: device 2 needs reset").contains("virtio: device 4 needs reset")
                    .contains("virtio: device 3 needs reset");
            for (VirtioPciFunction f : vm.machine.virtio()) {
                assertThat(f.violations()).isEqualTo(1);
                assertThat(f.lastViolation()).contains("0x7fff00000000").contains("outside guest RAM");
                assertThat(f.status()).as("the guest reset it").isZero();
            }
        }
        assertThat(Files.readAllBytes(image)).isEqualTo(before);
    }
}
