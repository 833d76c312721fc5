package dev.vmm.core.arch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmm.core.kvm.CpuidEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SoftwareKvmTest {
    @Test
    void aKvmWithoutKvmIntelOrKvmAmdIsASoftwareOne(@TempDir Path sys) throws Exception {
        Files.createDirectories(sys.resolve("kvm"));
        assertThat(SoftwareKvm.detect(sys)).isTrue();
        Files.createDirectories(sys.resolve("kvm_amd"));
        assertThat(SoftwareKvm.detect(sys)).isFalse();
    }

    @Test
    void theGuestIsToldNothingTheEmulatorCannotRunAndNoPvUnhalt() {
        List<CpuidEntry> host = List.of(
                new CpuidEntry(0x1, 0, 0, 0x806f8, 0, 0xffff_ffff, 0xffff_ffff),
                new CpuidEntry(0x7, 0, 1, 0, 0xffff_ffff, 0xffff_ffff, 0xffff_ffff),
                new CpuidEntry(0xd, 1, 1, 0xf, 0x240, 0, 0),
                new CpuidEntry(0x40000001, 0, 0, 0x01ff_ffff, 0, 0, 0),
                new CpuidEntry(0x80000001, 0, 0, 0, 0, 0xffff_ffff, 0xffff_ffff));
        List<CpuidEntry> guest = SoftwareKvm.withoutUnemulatable(host);
        assertThat(guest.get(0).ecx() & (1 << 13 | 1 << 26 | 1 << 28)).as("CX16, XSAVE, AVX").isZero();
        assertThat(guest.get(0).ecx() & 1 << 0).as("SSE3 stays").isNotZero();
        assertThat(guest.get(1).ebx() & (1 << 3 | 1 << 5 | 1 << 8)).as("BMI1, AVX2, BMI2").isZero();
        assertThat(guest.get(2)).isEqualTo(new CpuidEntry(0xd, 1, 1, 0, 0, 0, 0));
        assertThat(guest.get(3).eax()).as("PV_UNHALT (bit 7) gone, the rest kept").isEqualTo(0x01ff_ff7f);
        assertThat(guest.get(4)).isEqualTo(host.get(4));
    }
}
