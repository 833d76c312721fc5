package dev.vmm.tests.linux;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmm.app.config.CharDevice;
import dev.vmm.app.config.VmConfig;
import dev.vmm.app.machine.Console;
import dev.vmm.app.machine.Machine;
import dev.vmm.app.machine.MachineBuilder;
import dev.vmm.core.vcpu.StopReason;
import dev.vmm.firmware.linux.LinuxBootPlan;
import dev.vmm.firmware.linux.LinuxLayout;
import dev.vmm.firmware.linux.MemoryMap;
import dev.vmm.memory.RamLayout;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bzImage-format test kernel (src/test/kernel, built from source) booted directly on real KVM: it
 * prints what the loader handed it (entry state, zero page, command line, e820, initrd, RSDP) and the
 * test holds each to what the VMM was asked for.
 */
class TestKernelBootTest {
    private static final long RAM = 256L << 20;

    static Path testKernel(Path dir) throws Exception {
        try (InputStream in = TestKernelBootTest.class.getResourceAsStream("/kernel/test-kernel.bzImage")) {
            assertThat(in).as("test-kernel.bzImage (built by the tests module's build)").isNotNull();
            return Files.write(dir.resolve("test-kernel.bzImage"), in.readAllBytes());
        }
    }

    /** Boots {@code config} and returns what COM1 printed; the guest must exit with 0. */
    static String boot(VmConfig config) throws Exception {
        ByteArrayOutputStream serial = new ByteArrayOutputStream();
        try (Machine m = MachineBuilder.build(config, new Console(null, serial))) {
            m.start();
            StopReason reason = CompletableFuture.supplyAsync(() -> {
                try {
                    return m.awaitStop();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }).get(60, TimeUnit.SECONDS);
            String out = serial.toString(StandardCharsets.US_ASCII);
            assertThat(reason).as(out).isEqualTo(new StopReason.GuestExit(0));
            return out;
        }
    }

    @Test
    void theKernelGetsTheZeroPageCommandLineE820AndInitrdItWasGiven(@TempDir Path dir) throws Exception {
        byte[] initrd = new byte[300_000];
        new Random(7).nextBytes(initrd);
        Path initrdFile = Files.write(dir.resolve("initrd.img"), initrd);
        String cmdline = "console=ttyS0 root=/dev/vda ro test=\"quoted value\"";
        VmConfig config = VmConfig.builder().kernel(testKernel(dir), initrdFile, cmdline).memory(RAM).cpus(2)
                .serial(new CharDevice.Stdio()).build();
        String out = boot(config);

        assertThat(out).startsWith("test kernel: 64-bit entry cs=0x10 ds=0x18 ss=0x18 if=0x0\n");
        assertThat(out).contains("boot_params 0x7000 version 0x20f type_of_loader 0xff loadflags 0x1 ");
        assertThat(out).contains("cmdline 0x20000 [" + cmdline + "]\n");
        MemoryMap map = LinuxBootPlan.memoryMap(RamLayout.forSize(RAM));
        List<String> e820 = new ArrayList<>(List.of("e820 " + hex(map.entries().size())));
        for (MemoryMap.Entry e : map.entries()) {
            e820.add("e820 " + hex(e.address()) + " " + hex(e.size()) + " " + hex(e.type()));
        }
        assertThat(out).contains(String.join("\n", e820) + "\n");
        long initrdAt = (RAM - initrd.length) & -4096L;
        assertThat(out).contains("initrd " + hex(initrdAt) + " " + hex(initrd.length) + " fnv1a " + hex(fnv1a(initrd)) + "\n");
        assertThat(out).contains("acpi_rsdp_addr " + hex(LinuxLayout.ACPI_BASE) + "\n").endsWith("end\n");
        // INT3 and UD2 reach the kernel's own handlers: natively, or through the assist where KVM cannot run them.
        assertThat(out).contains("traps: int3 0x1 ud2 0x1\n");
    }

    @Test
    void withoutInitrdOrCommandLineBothAreEmpty(@TempDir Path dir) throws Exception {
        String out = boot(VmConfig.builder().kernel(testKernel(dir), null, null).memory(64L << 20).build());
        assertThat(out).contains("cmdline 0x20000 []\n").contains("initrd 0x0 0x0 fnv1a 0x0\n");
    }

    private static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    /** The test kernel's checksum of the initrd. */
    private static long fnv1a(byte[] b) {
        long h = 0xcbf29ce484222325L;
        for (byte x : b) {
            h = (h ^ (x & 0xff)) * 0x100000001b3L;
        }
        return h;
    }
}
