package dev.vmm.sev.host;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vmm.sev.host.HostCheck.Verdict;
import dev.vmm.sev.platform.PlatformCommand;
import dev.vmm.sev.platform.PlatformException;
import dev.vmm.sev.platform.SevDevice;
import dev.vmm.sev.platform.sim.PatchedSevDevice;
import dev.vmm.sev.platform.sim.SimulatedSevDevice;
import dev.vmm.sev.platform.sim.SimulatedSevFirmware;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The /dev/sev, SEV firmware, SNP firmware and RMP lines, with the simulated device answering
 * SEV_ISSUE_CMD where the ccp driver would (this host has no /dev/sev); a file stands in for the node.
 */
class SevFirmwareChecksTest {
    private final SimulatedSevFirmware firmware = SimulatedSevFirmware.manufacture(new SecureRandom());
    private HostPaths paths;

    @BeforeEach
    void host(@TempDir Path dir) throws IOException {
        paths = new HostPaths(dir.resolve("cpuid"), dir.resolve("msr"), dir.resolve("cpuinfo"), dir.resolve("module"),
                dir.resolve("no-kvm"), Files.createFile(dir.resolve("sev")));
    }

    private Map<String, HostCheck> run(SevDevice device) {
        List<HostCheck> checks = new HostReadiness(paths, p -> device).run();
        return checks.stream().collect(Collectors.toMap(HostCheck::name, Function.identity()));
    }

    /** The SEV firmware's answer to PLATFORM_STATUS with byte {@code at} of it replaced. */
    private SevDevice statusByte(SevDevice inner, int at, int value) {
        return PatchedSevDevice.rewriting(inner, PlatformCommand.SEV_PLATFORM_STATUS, 12, s -> s.set(JAVA_BYTE, at, (byte) value));
    }

    @Test
    void aReadOnlyDevSevIsEnoughToLaunchAndTheCheckSaysWhatItLacks() {
        Map<String, HostCheck> c = run(new SimulatedSevDevice(firmware, false));
        HostCheck sev = c.get("/dev/sev");
        assertThat(sev.verdict()).isEqualTo(Verdict.PASS);
        assertThat(sev.blocksSnp()).isFalse();
        assertThat(sev.detail()).isEqualTo(paths.sevDevice() + " opened read-only: enough to launch guests; the platform "
                + "commands that change it (factory-reset, pek-gen, pdh-gen, pek-csr, pek-cert-import, snp-set-config, "
                + "vlek-load) need write access");
        assertThat(c.get("SNP firmware").verdict()).isEqualTo(Verdict.PASS);
        assertThat(c.get("SNP firmware").detail()).contains("SNP API 1.55").contains("(Milan/Genoa layout)");
        assertThat(c.get("RMP table").verdict()).isEqualTo(Verdict.PASS);
        assertThat(run(new SimulatedSevDevice(firmware, true)).get("/dev/sev").detail()).endsWith("opened read-write");
    }

    @Test
    void anUnopenableDevSevFailsWithTheReason() {
        Map<String, HostCheck> c = new HostReadiness(paths, p -> {
            throw new PlatformException(p.sevDevice() + ": EACCES (Permission denied): no permission");
        }).run().stream().collect(Collectors.toMap(HostCheck::name, Function.identity()));
        assertThat(c.get("/dev/sev").verdict()).isEqualTo(Verdict.FAIL);
        assertThat(c.get("/dev/sev").detail()).endsWith("EACCES (Permission denied): no permission");
        assertThat(c.get("/dev/sev").hint()).contains("read access").contains("enough to launch guests");
        assertThat(c.get("SNP firmware").verdict()).isEqualTo(Verdict.SKIP);
    }

    /** Linux 6.12: the ccp driver does SNP_INIT at probe, not kvm_amd; the hint says what it needs. */
    @Test
    void uninitialisedSnpPointsAtTheCcpProbeNotKvmAmd() {
        firmware.snpInitialized(false);
        HostCheck snp = run(new SimulatedSevDevice(firmware, true)).get("SNP firmware");
        assertThat(snp.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(snp.detail()).startsWith("SNP_PLATFORM_STATUS: EINVAL").endsWith("(the kernel has not initialised SNP)");
        assertThat(snp.hint()).contains("the ccp driver initialises SNP when it probes").contains("IOMMU")
                .contains("1.51 or later").contains("`dmesg | grep -i SEV-SNP`").contains("failed to INIT")
                .doesNotContain("kvm_amd.sev_snp=1");
    }

    @Test
    void firmwareBelowApi151IsNamedAsTheReason() {
        firmware.snpInitialized(false);
        HostCheck snp = run(statusByte(new SimulatedSevDevice(firmware, true), 1, 49)).get("SNP firmware");
        assertThat(snp.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(snp.hint()).startsWith("SEV firmware API 1.49 is below 1.51, the least the ccp driver initialises SNP with");
    }

    /** PLATFORM_STATUS with a state the API does not define: a failed line, not an exception out of the check. */
    @Test
    void anUndefinedPlatformStateIsAFailedCheck() {
        Map<String, HostCheck> c = run(statusByte(new SimulatedSevDevice(firmware, true), 2, 7));
        HostCheck sev = c.get("SEV firmware");
        assertThat(sev.verdict()).isEqualTo(Verdict.FAIL);
        assertThat(sev.detail()).isEqualTo("platform state 7 is not UNINIT (0), INIT (1) or WORKING (2)");
        assertThat(sev.hint()).isNotBlank();
        assertThat(c.get("SNP firmware").verdict()).as("the checks go on").isEqualTo(Verdict.PASS);
    }

    /** No /proc/iomem guess: the kernel registers no RMP resource there; the MSRs or SNP status decide. */
    @Test
    void withoutSnpStatusOrMsrsTheRmpCheckIsSkipped() {
        firmware.snpInitialized(false);
        HostCheck rmp = run(new SimulatedSevDevice(firmware, true)).get("RMP table");
        assertThat(rmp.verdict()).isEqualTo(Verdict.SKIP);
        assertThat(rmp.detail()).isEqualTo("no SNP platform status, and no " + paths.msrDevice()
                + " (dmesg | grep -i 'RMP table' shows the range the kernel found)");
    }
}
