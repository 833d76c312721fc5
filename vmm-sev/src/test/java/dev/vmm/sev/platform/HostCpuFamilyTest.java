package dev.vmm.sev.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmm.sev.tcb.TcbLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real path's TCB layout: the host CPU family of /proc/cpuinfo, not a fixed generation. */
class HostCpuFamilyTest {
    /** The first lines of /proc/cpuinfo on an EPYC host of that family (the kernel prints the family in decimal). */
    private static Path cpuinfo(Path dir, int family, int model) throws IOException {
        Path f = dir.resolve("cpuinfo-" + family);
        Files.writeString(f, "processor\t: 0\nvendor_id\t: AuthenticAMD\ncpu family\t: " + family + "\nmodel\t\t: " + model
                + "\nmodel name\t: AMD EPYC\n\nprocessor\t: 1\ncpu family\t: 99\n");
        return f;
    }

    @Test
    void milanGenoaAndTurinHostsGetTheirLayouts(@TempDir Path dir) throws IOException {
        assertThat(HostCpuFamily.read(cpuinfo(dir, 25, 17))).isEqualTo(0x19);
        assertThat(HostCpuFamily.tcbLayout(cpuinfo(dir, 25, 1))).isEqualTo(TcbLayout.MILAN_GENOA);
        assertThat(HostCpuFamily.tcbLayout(cpuinfo(dir, 26, 2))).isEqualTo(TcbLayout.TURIN);
    }

    /** A regular file stands in for /dev/sev: opening it is the real DevSevDevice code, no ioctl needed. */
    @Test
    void theRealDeviceTakesTheLayoutOfTheHostCpu(@TempDir Path dir) throws IOException {
        Path fakeSev = Files.createFile(dir.resolve("sev"));
        try (DevSevDevice turin = DevSevDevice.open(fakeSev.toString(), cpuinfo(dir, 26, 17));
             DevSevDevice genoa = DevSevDevice.open(fakeSev.toString(), cpuinfo(dir, 25, 17))) {
            assertThat(turin.tcbLayout()).isEqualTo(TcbLayout.TURIN);
            assertThat(new DevSevPlatform(turin).tcbLayout()).isEqualTo(TcbLayout.TURIN);
            assertThat(genoa.tcbLayout()).isEqualTo(TcbLayout.MILAN_GENOA);
            assertThat(turin.isWritable()).isTrue();
        }
    }

    @Test
    void aFamilyWithoutSnpOrNoFamilyIsAnErrorNamingTheFile(@TempDir Path dir) throws IOException {
        Path intel = cpuinfo(dir, 6, 85);
        assertThatThrownBy(() -> HostCpuFamily.tcbLayout(intel)).isInstanceOf(PlatformException.class)
                .hasMessageContaining(intel.toString()).hasMessageContaining("cpu family 6 (0x6) has no SEV-SNP");
        Path none = Files.writeString(dir.resolve("none"), "processor\t: 0\n");
        assertThatThrownBy(() -> HostCpuFamily.read(none)).isInstanceOf(PlatformException.class)
                .hasMessage(none + ": no 'cpu family' line");
        Path junk = Files.writeString(dir.resolve("junk"), "cpu family\t: twenty-five\n");
        assertThatThrownBy(() -> HostCpuFamily.read(junk)).hasMessageContaining("'cpu family' is 'twenty-five'");
        assertThatThrownBy(() -> HostCpuFamily.read(dir.resolve("absent"))).isInstanceOf(PlatformException.class)
                .hasMessageContaining("cannot read the CPU family");
    }

    @Test
    void thisHostsFamilyIsTheOneItsCpuinfoShows() throws IOException {
        String line = Files.readAllLines(HostCpuFamily.PROC_CPUINFO).stream().filter(l -> l.startsWith("cpu family"))
                .findFirst().orElseThrow();
        int family = Integer.parseInt(line.substring(line.indexOf(':') + 1).trim());
        assertThat(HostCpuFamily.read(HostCpuFamily.PROC_CPUINFO)).isEqualTo(family);
        if (family != 0x19 && family != 0x1a) {
            assertThatThrownBy(() -> HostCpuFamily.tcbLayout(HostCpuFamily.PROC_CPUINFO)).isInstanceOf(PlatformException.class);
        }
    }
}
