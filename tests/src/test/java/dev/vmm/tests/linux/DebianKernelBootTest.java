package dev.vmm.tests.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.vmm.core.arch.SoftwareKvm;
import dev.vmm.tests.console.ConsoleSession;
import dev.vmm.tests.net.EchoPeer;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.CompletableFuture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian's own 6.12 cloud kernel, the real client of the Linux loader, booted by the packaged VMM to the
 * test initramfs's /init, which reports the CPUs and powers off. Long: the kernel runs about 1.2 billion
 * instructions to /init, minutes where KVM emulates them. The kernel is fetched by
 * tests/fixtures/debian-kernel (apt-get download from bookworm-backports), never committed.
 *
 * <p>On a software KVM (this development host's kvm_pvm) the command line gets {@link SoftwareKvmCmdline}'s
 * parameters; the int3 and ud2 of the kernel's self-tests, its POPCNTs and CLAC/STAC are completed by
 * the emulation assist.
 */
@Tag("long")
class DebianKernelBootTest {
    static final long BOOT_SECONDS = 3600;
    /** Why the bzImage paths cannot run here: its zstd decompressor runs BMI2, which KVM's emulator lacks. */
    static final String NO_BZIMAGE_HERE = "this host's KVM emulates every instruction and has no BMI2 "
            + "(SHLX/SHRX in the bzImage's zstd decompressor); the PVH test boots the same kernel";
    /**
     * Why nothing in user mode can run here: this host's KVM emulates the first SYSCALL of /init without
     * leaving user mode (RIP becomes entry_SYSCALL_64 with CS still 0x33), so /init faults and the kernel
     * panics. Seen on 2026-12-03 after "Run /init as init process", with 2 CPUs up and the virtio
     * devices bound; the kernel side is tested here by {@link #theKernelReachesInitWithTwoCpusAndTheVirtioDevices}.
     */
    static final String NO_USER_MODE_HERE = "this host's KVM emulates SYSCALL from user mode without entering the "
            + "kernel (the first system call of /init faults at entry_SYSCALL_64 with CPL 3); needs hardware virtualization";
    /** An OVMF that can measure a kernel (OvmfPkg/AmdSev, with the SEV hashes table); Debian ships none. */
    static final String AMD_SEV_OVMF = System.getProperty("vmm.amdsev.ovmf", System.getenv().getOrDefault("VMM_AMDSEV_OVMF", ""));
    private static Path linux;

    @BeforeAll
    static void fetchTheKernel() throws Exception {
        Path root = Path.of(System.getProperty("vmm.root", ".."));
        Process p = new ProcessBuilder(root.resolve("tests/fixtures/debian-kernel").toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        linux = Path.of(out.strip().lines().reduce((a, b) -> b).orElseThrow());
    }

    private static ConsoleSession vmm(List<String> args) throws IOException {
        List<String> command = new ArrayList<>(List.of(System.getProperty("vmm.java", "java"),
                "--enable-native-access=ALL-UNNAMED", "-jar", System.getProperty("vmm.jar", "../vmm/target/vmm.jar"),
                "run"));
        command.addAll(args);
        return new ConsoleSession(command);
    }

    private static Path initramfs(Path dir) throws Exception {
        return Files.write(dir.resolve("initramfs.cpio"), Initramfs.withTestInit().toBytes());
    }

    /** /init's lines, then the kernel's own of the power-off; the VM's status 0. */
    private static void bootsToInitAndPowersOff(ConsoleSession s, int cpus) throws Exception {
        int at = s.await("Linux version 6.12", 0, BOOT_SECONDS);
        at = s.await("init: hello from the test initramfs", at, BOOT_SECONDS);
        s.await("init: " + cpus + " CPUs online", at, 600);
        assertThat(s.waitFor(600)).as(s.errors()).isZero();
        assertThat(s.output()).contains("smpboot: Total of " + cpus + " processor")
                .contains("ACPI: PM: Preparing to enter system sleep state S5");
    }

    @Test
    void theBzImageBootsDirectlyThroughItsSixtyFourBitEntry(@TempDir Path dir) throws Exception {
        assumeFalse(SoftwareKvm.detect(), NO_BZIMAGE_HERE);
        try (ConsoleSession s = vmm(List.of("--kernel", linux.resolve("vmlinuz").toString(), "--initrd",
                initramfs(dir).toString(), "--append", "console=ttyS0", "--cpus", "2", "--memory", "512M"))) {
            bootsToInitAndPowersOff(s, 2);
        }
    }

    @Test
    void aRebootFromTheGuestEndsTheVmWithStatusZero(@TempDir Path dir) throws Exception {
        assumeFalse(SoftwareKvm.detect(), NO_USER_MODE_HERE);
        try (ConsoleSession s = vmm(List.of("--kernel", linux.resolve("vmlinux").toString(), "--initrd",
                initramfs(dir).toString(), "--append", SoftwareKvmCmdline.forThisHost("console=ttyS0") + " -- reboot"))) {
            int at = s.await("init: hello from the test initramfs", 0, BOOT_SECONDS);
            s.await("init: restarting", at, 600);
            assertThat(s.waitFor(600)).as(s.errors()).isZero();
            assertThat(s.output()).contains("reboot: Restarting system");
        }
    }

    @Test
    void throughOvmfTheFwCfgKernelStartsItsEfiStub(@TempDir Path dir) throws Exception {
        assumeFalse(SoftwareKvm.detect(), NO_BZIMAGE_HERE);
        try (ConsoleSession s = vmm(List.of("--firmware", "/usr/share/ovmf/OVMF.fd", "--kernel",
                linux.resolve("vmlinuz").toString(), "--initrd", initramfs(dir).toString(), "--append", "console=ttyS0",
                "--cpus", "2", "--memory", "512M"))) {
            bootsToInitAndPowersOff(s, 2);
        }
    }

    @Test
    void aSimulatedSnpLaunchMeasuresTheKernelThenBootsIt(@TempDir Path dir) throws Exception {
        assumeFalse(SoftwareKvm.detect(), NO_BZIMAGE_HERE);
        assumeTrue(!AMD_SEV_OVMF.isEmpty() && Files.isRegularFile(Path.of(AMD_SEV_OVMF)),
                "needs an OvmfPkg/AmdSev build with the SEV hashes table (-Dvmm.amdsev.ovmf=FILE or VMM_AMDSEV_OVMF); "
                        + "Debian's OVMF.fd has none");
        try (ConsoleSession s = vmm(List.of("--confidential", "sev-snp", "--psp", "simulated", "--firmware",
                AMD_SEV_OVMF, "--kernel", linux.resolve("vmlinuz").toString(), "--initrd", initramfs(dir).toString(),
                "--append", "console=ttyS0", "--memory", "512M"))) {
            bootsToInitAndPowersOff(s, 1);
            assertThat(s.errors()).containsPattern("launch digest[: ]+[0-9a-f]{96}");
        }
    }

    /** A module of the fetched package, as Debian ships it (xz; the kernel decompresses it). */
    private static byte[] module(String relative) throws IOException {
        try (var found = Files.find(linux.resolve("root/lib/modules"), 8, (p, a) -> p.endsWith(relative))) {
            return Files.readAllBytes(found.findFirst().orElseThrow(() -> new IOException(relative + " is not in the package")));
        }
    }

    /**
     * What a software KVM lets Linux do: the whole kernel boot, through the PVH entry, to the start of
     * /init, with both CPUs up (INIT-SIPI-SIPI from the kernel), the ACPI tables read, and the four virtio
     * functions enumerated and bound to virtio-pci. Runs everywhere; the tests below go on in user mode.
     */
    @Test
    void theKernelReachesInitWithTwoCpusAndTheVirtioDevices(@TempDir Path dir) throws Exception {
        Path image = Files.write(dir.resolve("disk.img"), new byte[1 << 20]);
        Path socket = dir.resolve("peer.sock");
        try (EchoPeer peer = new EchoPeer(socket); ConsoleSession s = vmm(List.of("--kernel", linux.resolve("vmlinux").toString(),
                "--initrd", initramfs(dir).toString(), "--append", SoftwareKvmCmdline.forThisHost("console=ttyS0"),
                "--cpus", "2", "--memory", "512M", "--disk", "path=" + image, "--net", "socket=" + socket, "--rng",
                "--console", "file:" + dir.resolve("hvc0.txt")))) {
            int at = s.await("smpboot: Total of 2 processors activated", 0, BOOT_SECONDS);
            at = s.await("ACPI: PM: (supports S0 S5)", at, BOOT_SECONDS);
            for (String id : List.of("1af4:1042", "1af4:1041", "1af4:1044", "1af4:1043")) {
                s.await("[" + id + "] type 00", 0, BOOT_SECONDS);
            }
            at = s.await("virtio-pci 0000:00:05.0", at, BOOT_SECONDS);
            s.await("Run /init as init process", at, BOOT_SECONDS);
        }
    }

    @Test
    void linuxsOwnVirtioDriversUseTheRngTheDiskTheConsoleAndTheNetwork(@TempDir Path dir) throws Exception {
        assumeFalse(SoftwareKvm.detect(), NO_USER_MODE_HERE);
        byte[] disk = new byte[1 << 20];
        byte[] head = "BOOTSECTOR-DATA!".getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(head, 0, disk, 0, head.length);
        Path image = Files.write(dir.resolve("disk.img"), disk);
        Path initrd = Files.write(dir.resolve("initramfs.cpio"), Initramfs.withTestInit()
                .file("virtio-rng.ko.xz", module("drivers/char/hw_random/virtio-rng.ko.xz"), 0644)
                .file("virtio_blk.ko.xz", module("drivers/block/virtio_blk.ko.xz"), 0644)
                .file("failover.ko.xz", module("net/core/failover.ko.xz"), 0644)
                .file("net_failover.ko.xz", module("drivers/net/net_failover.ko.xz"), 0644)
                .file("virtio_net.ko.xz", module("drivers/net/virtio_net.ko.xz"), 0644).toBytes());
        Path socket = dir.resolve("peer.sock");
        try (EchoPeer peer = new EchoPeer(socket); ConsoleSession s = vmm(List.of("--kernel", linux.resolve("vmlinux").toString(), "--initrd", initrd.toString(),
                "--append", SoftwareKvmCmdline.forThisHost("console=ttyS0") + " -- virtio network", "--cpus", "2",
                "--memory", "512M", "--net", "socket=" + socket,
                "--rng", "--disk", "path=" + image, "--console", "file:" + dir.resolve("hvc0.txt"), "-v"))) {
            int at = s.await("init: hello from the test initramfs", 0, BOOT_SECONDS);
            at = s.await("init: hwrng gave 32 bytes", at, 600);
            at = s.await("init: vda sector 0: 424f4f54534543544f522d4441544121", at, 600);
            at = s.await("init: vda sector 1 written and flushed", at, 600);
            at = s.await("init: wrote to hvc0", at, 600);
            s.await("init: eth0 got: pong from linux", at, 600);
            assertThat(s.waitFor(600)).as(s.errors()).isZero();
            assertThat(s.output()).contains("virtio_blk virtio").contains("[vda] 2048 512-byte logical blocks");
            assertThat(peer.frames).isNotEmpty();
            assertThat(s.errors()).contains("virtio-blk0: status 0xf").contains("0 ring violations")
                    .containsPattern("virtio-rng0: status 0xf, [1-9]\\d* MSI-X interrupts");
        }
        assertThat(Files.readString(dir.resolve("hvc0.txt"))).isEqualTo("hvc0: hello from linux\n");
        String sector1 = new String(Files.readAllBytes(image), 512, 64, StandardCharsets.US_ASCII);
        assertThat(sector1).startsWith("written by linux through virtio-blk");
    }

    @Test
    void linuxsVsockDriverReachesAHostServiceThroughTheHybridSocket(@TempDir Path dir) throws Exception {
        assumeFalse(SoftwareKvm.detect(), NO_USER_MODE_HERE);
        Path initrd = Files.write(dir.resolve("initramfs.cpio"), Initramfs.withTestInit()
                .file("vsock.ko.xz", module("net/vmw_vsock/vsock.ko.xz"), 0644)
                .file("vmw_vsock_virtio_transport_common.ko.xz", module("net/vmw_vsock/vmw_vsock_virtio_transport_common.ko.xz"), 0644)
                .file("vmw_vsock_virtio_transport.ko.xz", module("net/vmw_vsock/vmw_vsock_virtio_transport.ko.xz"), 0644)
                .toBytes());
        Path socket = dir.resolve("vsock.sock");
        try (ServerSocketChannel service = ServerSocketChannel.open(StandardProtocolFamily.UNIX)
                .bind(UnixDomainSocketAddress.of(dir.resolve("vsock.sock_1234")));
             ConsoleSession s = vmm(List.of("--kernel", linux.resolve("vmlinux").toString(), "--initrd", initrd.toString(),
                     "--append", SoftwareKvmCmdline.forThisHost("console=ttyS0") + " -- vsock", "--cpus", "2",
                     "--memory", "512M", "--vsock", "cid=3,socket=" + socket))) {
            CompletableFuture<String> served = CompletableFuture.supplyAsync(() -> {
                try (SocketChannel c = service.accept()) {
                    ByteBuffer in = ByteBuffer.allocate(256);
                    while (in.position() == 0 || in.get(in.position() - 1) != '\n') {
                        if (c.read(in) < 0) {
                            break;
                        }
                    }
                    String line = new String(in.array(), 0, in.position(), StandardCharsets.US_ASCII).strip();
                    c.write(ByteBuffer.wrap(("pong: " + line + "\n").getBytes(StandardCharsets.US_ASCII)));
                    return line;
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            int at = s.await("init: hello from the test initramfs", 0, BOOT_SECONDS);
            s.await("init: vsock got: pong: hello from linux over vsock", at, 600);
            assertThat(served.get(60, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("hello from linux over vsock");
            assertThat(s.waitFor(600)).as(s.errors()).isZero();
        }
        assertThat(socket).doesNotExist();
    }

    @Test
    void thePvhEntryOfTheExtractedVmlinuxBringsUpTwoCpusAndPowersOff(@TempDir Path dir) throws Exception {
        assumeFalse(SoftwareKvm.detect(), NO_USER_MODE_HERE);
        try (ConsoleSession s = vmm(List.of("--kernel", linux.resolve("vmlinux").toString(), "--initrd",
                initramfs(dir).toString(), "--append", SoftwareKvmCmdline.forThisHost("console=ttyS0"), "--cpus", "2", "--memory", "512M"))) {
            bootsToInitAndPowersOff(s, 2);
        }
    }
}
