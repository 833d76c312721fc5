package dev.vmm.core.arch;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmm.core.kvm.CpuidEntry;
import java.util.List;
import org.junit.jupiter.api.Test;

/** QEMU's -smp N topology (N sockets, one core, one thread) over whatever the host's leaves said. */
class CpuidSetupTest {
    private static final int INDEXED = CpuidEntry.FLAG_SIGNIFICANT_INDEX;
    /** A two-core Intel host as KVM reports it: leaf 1 with HTT and 16 logical, leaf 4 with 2 cores, leaf 0xB. */
    private static final List<CpuidEntry> HOST = List.of(
            new CpuidEntry(1, 0, 0, 0x806f8, 0x00100800, 0, 1 << 28 | 1),
            new CpuidEntry(4, 0, INDEXED, 0x04000121, 0x1c0003f, 0x3f, 0),
            new CpuidEntry(4, 3, INDEXED, 0x0403c163, 0x3c0003f, 0x3fff, 6),
            new CpuidEntry(0xb, 0, INDEXED, 1, 2, 0x100, 9),
            new CpuidEntry(0xb, 1, INDEXED, 5, 16, 0x201, 9),
            new CpuidEntry(0xb, 2, INDEXED, 0, 0, 2, 9),
            new CpuidEntry(0x80000001, 0, 0, 0, 0, 0x3, 0),
            new CpuidEntry(0x80000008, 0, 0, 0x3030, 0, 0x1700f, 0),
            new CpuidEntry(0x8000001e, 0, 0, 6, 0x103, 0x2, 0));

    private static CpuidEntry leaf(List<CpuidEntry> c, int function, int index) {
        return c.stream().filter(e -> e.function() == function && e.index() == index).findFirst().orElseThrow();
    }

    @Test
    void everyTopologyLeafSaysOnePackageOfOneThread() {
        List<CpuidEntry> c = CpuidSetup.forVcpu(HOST, 3, 4);
        CpuidEntry l1 = leaf(c, 1, 0);
        assertThat(l1.ebx() >>> 24).as("APIC ID").isEqualTo(3);
        assertThat(l1.ebx() >> 16 & 0xff).as("logical processors per package").isZero();
        assertThat(l1.edx() & 1 << 28).as("HTT").isZero();
        assertThat(l1.ebx() & 0xffff).as("CLFLUSH size and brand stay").isEqualTo(0x0800);
        assertThat(leaf(c, 4, 0).eax()).as("leaf 4: 1 core, 1 sharer").isEqualTo(0x121);
        assertThat(leaf(c, 4, 3).eax()).isEqualTo(0x163);
        assertThat(leaf(c, 4, 3).edx()).isEqualTo(6);
        assertThat(leaf(c, 0xb, 0)).isEqualTo(new CpuidEntry(0xb, 0, INDEXED, 0, 1, 0x100, 3));
        assertThat(leaf(c, 0xb, 1)).isEqualTo(new CpuidEntry(0xb, 1, INDEXED, 0, 1, 0x201, 3));
        assertThat(leaf(c, 0xb, 2)).isEqualTo(new CpuidEntry(0xb, 2, INDEXED, 0, 0, 2, 3));
        assertThat(leaf(c, 0x80000001, 0).ecx()).as("CmpLegacy off, LAHF stays").isEqualTo(1);
        assertThat(leaf(c, 0x80000008, 0).ecx()).as("NC and ApicIdSize 0; PerfTscSize stays").isEqualTo(0x10000);
        assertThat(leaf(c, 0x8000001e, 0)).isEqualTo(new CpuidEntry(0x8000001e, 0, 0, 3, 0, 0, 0));
    }
}
