package dev.vmm.tests.confidential;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmm.app.config.CharDevice;
import dev.vmm.app.config.ConfidentialConfig;
import dev.vmm.sev.psp.PspKind;
import dev.vmm.app.config.VmConfig;
import dev.vmm.app.machine.Console;
import dev.vmm.app.machine.Machine;
import dev.vmm.app.machine.MachineBuilder;
import dev.vmm.sev.SevMode;
import dev.vmm.sev.launch.ConfidentialLaunch;
import dev.vmm.tests.cli.VmmProcessAccess;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case of expected.json (the verifier tool's digests) must come out exactly, both from
 * {@code vmm measure} and from a launch of a real VM on /dev/kvm through the simulated PSP.
 */
class ExpectedDigestsTest {
    /** The cases' input files go to the build directory, written once per run. */
    static List<ExpectedCases.Case> cases() throws Exception {
        Path dir = Path.of("target", "expected-cases");
        java.nio.file.Files.createDirectories(dir);
        return ExpectedCases.load(dir).cases();
    }

    @ParameterizedTest(name = "vmm measure: {0}")
    @MethodSource("cases")
    void measureComputesTheVerifiersDigest(ExpectedCases.Case c) throws Exception {
        c.assumeFirmware();
        List<String> args = new ArrayList<>(List.of("measure", "--mode", c.mode(), "--firmware", c.firmware().toString()));
        if (!c.mode().equals("sev")) {
            args.addAll(List.of("--cpus", String.valueOf(c.vcpus()), "--cpu-model", c.cpu(),
                    "--guest-features", Long.toHexString(c.guestFeatures())));
        }
        if (c.kernel() != null) {
            args.addAll(List.of("--kernel", c.kernel().toString()));
        }
        if (c.initrd() != null) {
            args.addAll(List.of("--initrd", c.initrd().toString()));
        }
        if (c.append() != null) {
            args.addAll(List.of("--append", c.append()));
        }
        VmmProcessAccess.Result r = VmmProcessAccess.run(args);
        assertThat(r.status()).as(r.stderr()).isZero();
        String[] lines = r.stdout().strip().split("\n");
        assertThat(lines[lines.length - 1]).isEqualTo(c.digest());
    }

    @ParameterizedTest(name = "simulated launch: {0}")
    @MethodSource("cases")
    void aSimulatedLaunchOnKvmReachesTheSameDigest(ExpectedCases.Case c) throws Exception {
        c.assumeFirmware();
        SevMode mode = SevMode.parse(c.mode());
        ConfidentialConfig conf = new ConfidentialConfig(mode, null, PspKind.SIMULATED, c.cpu() == null ? "EPYC-v4" : c.cpu(),
                c.guestFeatures(), null, null, null, null, false);
        VmConfig config = VmConfig.builder().firmware(c.firmware()).kernel(c.kernel(), c.initrd(), c.append())
                .memory(64L << 20).cpus(mode == SevMode.SEV ? 1 : c.vcpus()).serial(new CharDevice.None())
                .confidential(conf).build();
        AtomicReference<ConfidentialLaunch.Result> result = new AtomicReference<>();
        try (Machine machine = MachineBuilder.build(config, new Console(null, null), l -> result.set(l.result()))) {
            assertThat(machine.vcpus().runners()).hasSize(config.cpus().count());
        }
        assertThat(result.get().digestHex()).isEqualTo(c.digest());
        assertThat(result.get().psp()).contains("SIMULATED");
        if (mode != SevMode.SEV_SNP) {
            assertThat(result.get().measurement()).hasSize(48);
        }
    }
}
