package dev.vmm.app.devicemanager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class GsiAllocatorTest {
    private final GsiAllocator gsis = new GsiAllocator(4096);

    @Test
    void isaIrqsAreClaimedByNumberOnce() {
        assertThat(gsis.claimIsa(4, "com1")).isEqualTo(4);
        assertThatThrownBy(() -> gsis.claimIsa(4, "com3")).hasMessage("com3: GSI 4 is taken by com1");
        assertThatThrownBy(() -> gsis.claimIsa(16, "x")).hasMessage("x: ISA IRQ 16 is not one of 0-15");
        assertThat(gsis.owner(4)).isEqualTo("com1");
    }

    @Test
    void pciIntxLinesAreTheIoapicPinsAboveIsa() {
        for (int i = 0; i < 8; i++) {
            assertThat(gsis.allocatePciIntx("dev" + i)).isEqualTo(16 + i);
        }
        assertThatThrownBy(() -> gsis.allocatePciIntx("dev8")).isInstanceOf(AllocationException.class)
                .hasMessage("dev8: all 8 PCI INTx GSIs (16-23) are taken");
        gsis.release(19);
        assertThat(gsis.allocatePciIntx("dev9")).isEqualTo(19);
    }

    @Test
    void msiGsisStartAboveTheDefaultRoutesAndEndBelowTheCapability() {
        GsiAllocator small = new GsiAllocator(27);
        assertThat(small.allocateMsi("q0")).isEqualTo(24);
        assertThat(small.allocateMsi("q1")).isEqualTo(25);
        assertThat(small.allocateMsi("q2")).isEqualTo(26);
        assertThatThrownBy(() -> small.allocateMsi("q3")).hasMessage("q3: all 3 MSI GSIs (24-26) are taken");
        small.release(25);
        assertThat(small.allocateMsi("q4")).isEqualTo(25);
        assertThatThrownBy(() -> small.release(3)).hasMessage("GSI 3 was not allocated");
        assertThatThrownBy(() -> new GsiAllocator(24)).hasMessageContaining("leaves no GSI for MSIs");
    }
}
