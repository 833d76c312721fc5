package dev.vmm.tests.abi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmm.app.Main;
import dev.vmm.core.kvm.Kvm;
import dev.vmm.devices.bus.Bus;
import dev.vmm.firmware.FirmwareImage;
import dev.vmm.memory.GuestMemory;
import dev.vmm.sev.kvm.SevCmdId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compiles a C program against the Linux 6.12 UAPI headers (build/uapi, see .ci/setup) and compares
 * every struct size, member offset and size, ioctl number and constant our Java code uses.
 */
class AbiCheckTest {
    private static final long LINUX_6_12 = (6 << 16) + (12 << 8);
    private static AbiInventory inventory;

    @BeforeAll
    static void scan() {
        // One class of each module; every class of those modules is inspected.
        inventory = AbiInventory.scan(Kvm.class, GuestMemory.class, Bus.class, FirmwareImage.class, Main.class,
                SevCmdId.class);
    }

    @Test
    void everyLayoutHasACName() {
        assertThat(inventory.uncovered).as("layouts and constants the check cannot cover").isEmpty();
    }

    @Test
    void layoutsIoctlsAndConstantsMatchTheLinux612Headers(@TempDir Path dir) throws Exception {
        Path include = Path.of(System.getProperty("vmm.uapi.headers", "build/uapi/usr/include"));
        assertThat(include.resolve("linux/kvm.h"))
                .as("Linux 6.12 UAPI headers (run .ci/setup to unpack them into build/uapi)").exists();
        CProbe probe = new CProbe(inventory);
        Path source = dir.resolve("abi.c");
        Files.writeString(source, probe.program());
        Path exe = dir.resolve("abi");
        run(List.of("gcc", "-std=gnu11", "-Wall", "-Werror",
                "-I" + include, "-I" + include.resolve("x86_64-linux-gnu"), "-o", exe.toString(), source.toString()));
        Map<String, Long> actual = parse(run(List.of(exe.toString())));

        assertThat(actual.get("LINUX_VERSION_CODE") & ~0xffL).as("header version").isEqualTo(LINUX_6_12);
        List<String> mismatches = new ArrayList<>();
        probe.expected.forEach((key, want) -> {
            if (key.equals("LINUX_VERSION_CODE")) {
                return;
            }
            Long got = actual.get(key);
            if (got == null || got.longValue() != want) {
                mismatches.add(key + ": Java " + want + ", C " + got);
            }
        });
        assertThat(mismatches).as("Java vs C").isEmpty();
        System.out.printf("ABI check: %d facts (%d structs, %d macros) match Linux %d.%d.%d%n", probe.expected.size() - 1,
                inventory.structs.size(), inventory.macros.size(), actual.get("LINUX_VERSION_CODE") >> 16,
                actual.get("LINUX_VERSION_CODE") >> 8 & 0xff, actual.get("LINUX_VERSION_CODE") & 0xff);
        assertThat(probe.expected.size()).as("facts checked").isGreaterThan(300);
    }

    private static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", command) + "\n" + out).isZero();
        return out;
    }

    private static Map<String, Long> parse(String output) {
        Map<String, Long> values = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            int tab = line.lastIndexOf('\t');
            if (tab > 0) {
                values.put(line.substring(0, tab), Long.parseLong(line.substring(tab + 1).trim()));
            }
        }
        return values;
    }
}
