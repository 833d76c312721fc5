package dev.vmm.app.machine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmm.app.config.ConfigException;
import dev.vmm.core.kvm.CpuidEntry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GuestMemoryFitTest {
    private static List<CpuidEntry> addressBits(int bits) {
        return List.of(new CpuidEntry(0x80000008, 0, 0, 0x3000 | bits, 0, 0, 0));
    }

    @Test
    void eightTibFitsOneSlotAndNineDoNot() {
        assertThatCode(() -> GuestMemoryFit.check(8L << 40, addressBits(48))).doesNotThrowAnyException();
        assertThatThrownBy(() -> GuestMemoryFit.check(9L << 40, addressBits(48))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("9 TiB is more than KVM maps in one memory slot").hasMessageContaining("KVM_MEM_MAX_NR_PAGES");
    }

    @Test
    void theEndMustBeInsideTheGuestsPhysicalAddressSpace() {
        // 39 bits (512 GiB), as on many client CPUs: 510 GiB of RAM ends at 512 GiB, 511 GiB beyond it.
        assertThatCode(() -> GuestMemoryFit.check(510L << 30, addressBits(39))).doesNotThrowAnyException();
        assertThatThrownBy(() -> GuestMemoryFit.check(511L << 30, addressBits(39))).isInstanceOf(ConfigException.class)
                .hasMessageContaining("ends at guest physical 0x8040000000, beyond the 39-bit physical address space");
        assertThat(GuestMemoryFit.physicalAddressBits(List.of())).isEqualTo(36);
    }

    @Test
    void moreThanTheHostHasIsAWarningNamingBoth(@TempDir Path dir) throws Exception {
        Path meminfo = Files.writeString(dir.resolve("meminfo"), "MemTotal:       24576000 kB\nMemFree: 1 kB\n");
        assertThat(GuestMemoryFit.hostMemory(meminfo)).hasValue(24576000L * 1024);
        assertThat(GuestMemoryFit.hostMemory(dir.resolve("none"))).isEmpty();
        assertThat(GuestMemoryFit.hostWarning(128L << 20)).isEmpty();
        assertThat(GuestMemoryFit.hostWarning(1L << 50)).hasValueSatisfying(w -> assertThat(w)
                .startsWith("guest memory 1024 TiB is more than this host's ").contains(" GiB of RAM"));
    }
}
