package dev.vmm.sev.cpu;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CpuModelTest {
    @Test
    void signaturesAreCpuidLeaf1Eax() {
        // Family 17h model 01h stepping 2: extended family 8, family F, model 1, stepping 2.
        assertThat(CpuModel.byName("EPYC-v4").orElseThrow().signature()).isEqualTo(0x00800f12);
        assertThat(CpuModel.byName("EPYC-Rome-v2").orElseThrow().signature()).isEqualTo(0x00830f10);
        assertThat(CpuModel.byName("EPYC-Milan").orElseThrow().signature()).isEqualTo(0x00a00f11);
        assertThat(CpuModel.byName("EPYC-Genoa").orElseThrow().signature()).isEqualTo(0x00a10f10);
        assertThat(CpuModel.byName("EPYC-Turin-v1").orElseThrow().signature()).isEqualTo(0x00b00f00);
        assertThat(CpuModel.byName("Skylake")).isEmpty();
    }

    @Test
    void versionsShareTheirModelsSignature() {
        for (String n : CpuModel.names()) {
            String base = n.replaceAll("-v\\d+$", "").replace("EPYC-IBPB", "EPYC");
            assertThat(CpuModel.byName(n).orElseThrow().signature()).as(n)
                    .isEqualTo(CpuModel.byName(base).orElseThrow().signature());
        }
    }

    @Test
    void aSignatureRoundTrips() {
        for (int sig : new int[] {0x00800f12, 0x00a10f10, 0x00b00f00, 0x000806f8 /* an Intel family 6 part */}) {
            assertThat(CpuModel.fromSignature("host", sig).signature()).isEqualTo(sig);
        }
    }
}
