package dev.vmm.tests.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmm.app.config.CharDevice;
import dev.vmm.core.vcpu.StopReason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * 200 create/run/destroy cycles in one JVM leave no file descriptor, no guest or kvm_run mapping and
 * no vCPU thread behind.
 */
class LeakTest {
    private static final int CYCLES = 200;
    /**
     * A RAM size no other mapping in the JVM has, so its mappings can be counted: not a round number of
     * MiB, which heaps and arenas are (the JVM's initial heap alone is RAM / 64: 20 MiB on a 1.25 GiB host).
     */
    private static final long RAM = (20L << 20) + (3L << 12);
    /** How /proc/self/maps names a vCPU's kvm_run mapping (anon_inode:kvm-vcpu:N). */
    private static final String KVM_RUN = "anon_inode:kvm-vcpu";

    @Test
    void createRunDestroyLeavesNothingBehind() throws Exception {
        check(TestVm.scenario(2, "boot").toBuilder().memory(RAM).serial(new CharDevice.None()).build(), CYCLES);
    }

    /** With every virtio device the guest drives: their BAR mappings, eventfds, MSI routes and I/O thread. */
    @Test
    void aMachineWithVirtioDevicesLeavesNothingBehind(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path image = Files.write(dir.resolve("disk.img"), new byte[64 * 1024]);
        check(TestVm.scenario(1, "virtio").toBuilder().memory(RAM).serial(new CharDevice.None())
                .addDisk(new dev.vmm.app.config.DiskConfig(image, false)).rng(new dev.vmm.app.config.RngConfig(null))
                .console(new CharDevice.None()).build(), CYCLES / 4);
    }

    /** With vsock connections both ways: the listener, each connection's socket, the host side's eventfd. */
    @Test
    void aMachineWithVsockConnectionsLeavesNothingBehind(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path socket = dir.resolve("v.sock");
        try (var service = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)
                .bind(java.net.UnixDomainSocketAddress.of(dir.resolve("v.sock_1234")))) {
            var config = TestVm.scenario(1, "virtio").toBuilder().memory(RAM)        // serial captured: the guest's cue
                    .vsock(new dev.vmm.app.config.VsockConfig(42, socket)).build();
            check(config, CYCLES / 8, vm -> VsockKvmTest.converse(vm, socket, service));
            assertThat(socket).doesNotExist();
        }
    }

    @FunctionalInterface
    interface Run {
        void run(TestVm vm) throws Exception;
    }

    private void check(dev.vmm.app.config.VmConfig config, int cycles) throws Exception {
        check(config, cycles, vm -> assertThat(vm.start().awaitStop()).isEqualTo(new StopReason.GuestExit(0)));
    }

    private void check(dev.vmm.app.config.VmConfig config, int cycles, Run run) throws Exception {
        for (int i = 0; i < 3; i++) {      // warm up: classes, JIT, libc's and the JVM's own lazily opened fds
            cycle(config, run);
        }
        long fds = fdCount();
        long kvmMappings = mappings(KVM_RUN);
        long ramMappings = ramMappings();
        long threads = vcpuThreads();
        for (int i = 0; i < cycles; i++) {
            cycle(config, run);
        }
        assertThat(fdCount()).as("open fds").isEqualTo(fds);
        assertThat(mappings(KVM_RUN)).as("kvm_run mappings").isEqualTo(kvmMappings).isZero();
        assertThat(ramMappings()).as("guest RAM mappings").isEqualTo(ramMappings).isZero();
        assertThat(vcpuThreads()).as("vCPU threads").isEqualTo(threads).isZero();
        assertThat(Thread.getAllStackTraces().keySet()).as("I/O threads").noneMatch(t -> t.getName().equals("vmm-virtio-io"));
    }

    private static void cycle(dev.vmm.app.config.VmConfig config, Run run) throws Exception {
        try (TestVm vm = new TestVm(config)) {
            run.run(vm);
        }
    }

    private static long fdCount() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
            return s.count();
        }
    }

    private static long mappings(String text) throws IOException {
        return Files.readAllLines(Path.of("/proc/self/maps")).stream().filter(l -> l.contains(text)).count();
    }

    /** Mappings exactly the size of the guest RAM. */
    private static long ramMappings() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/maps")).stream().filter(l -> {
            String[] range = l.split(" ")[0].split("-");
            return Long.parseUnsignedLong(range[1], 16) - Long.parseUnsignedLong(range[0], 16) == RAM;
        }).count();
    }

    private static long vcpuThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("vcpu")).count();
    }
}
