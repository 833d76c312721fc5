package dev.vmm.sev.tcb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalInt;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/** Both TCB_VERSION layouts, as the report, the VCEK and the platform commands use them. */
class TcbVersionTest {
    @Test
    void milanGenoaLayout() {
        TcbVersion t = TcbVersion.of(0x7308000000000003L, TcbLayout.MILAN_GENOA);
        assertThat(t).isEqualTo(TcbVersion.milanGenoa(3, 0, 8, 115));
        assertThat(t.fmc()).isEmpty();
        assertThat(t.raw()).isEqualTo(0x7308000000000003L);
        assertThat(t).hasToString("bl 3, tee 0, snp 8, ucode 115");
        assertThat(t.describe()).isEqualTo("0x7308000000000003: bl 3, tee 0, snp 8, ucode 115 (Milan/Genoa layout)");
    }

    @Test
    void theCpuFamilyPicksTheLayout() {
        assertThat(TcbLayout.forCpuFamily(0x19)).hasValue(TcbLayout.MILAN_GENOA);
        assertThat(TcbLayout.forCpuFamily(0x1a)).hasValue(TcbLayout.TURIN);
        assertThat(TcbLayout.forCpuFamily(0x17)).as("Rome: SEV-ES, no SNP").isEmpty();
        assertThat(TcbLayout.forCpuFamily(6)).isEmpty();
        assertThat(TcbLayout.MILAN_GENOA.reservedBytes()).isEqualTo("bytes 2..5");
        assertThat(TcbLayout.TURIN.reservedBytes()).isEqualTo("bytes 4..6");
    }

    @Test
    void turinLayout() {
        TcbVersion t = TcbVersion.of(0x5100000004010101L, TcbLayout.TURIN);
        assertThat(t).isEqualTo(TcbVersion.turin(1, 1, 1, 4, 81));
        assertThat(t.fmc()).hasValue(1);
        assertThat(t.raw()).isEqualTo(0x5100000004010101L);
        assertThat(t.describe()).isEqualTo("0x5100000004010101: fmc 1, bl 1, tee 1, snp 4, ucode 81 (Turin layout)");
        // The same bytes read in the other layout are other SPLs: the layout is not optional.
        assertThat(TcbVersion.of(0x5100000004010101L, TcbLayout.MILAN_GENOA)).isEqualTo(TcbVersion.milanGenoa(1, 1, 0, 81));
    }

    @Test
    void reservedBytesDependOnTheLayout() {
        assertThat(TcbLayout.MILAN_GENOA.reservedBits(0x0000000100000000L)).isEqualTo(0x0000000100000000L);
        assertThat(TcbLayout.MILAN_GENOA.reservedBits(0xff_00_0000_0000_ffffL)).isZero();
        assertThat(TcbLayout.TURIN.reservedBits(0x0000000004010101L)).isZero();
        assertThat(TcbLayout.TURIN.reservedBits(0x0001000000000000L)).isEqualTo(0x0001000000000000L);
        for (int i = 0; i < 8; i++) {
            assertThat(TcbLayout.MILAN_GENOA.isReserved(i)).as("Milan byte " + i).isEqualTo(i >= 2 && i <= 5);
            assertThat(TcbLayout.TURIN.isReserved(i)).as("Turin byte " + i).isEqualTo(i >= 4 && i <= 6);
        }
        // Reserved bits are ignored by of(): whoever needs them zero checks reservedBits first.
        assertThat(TcbVersion.of(0x7308000100000003L, TcbLayout.MILAN_GENOA).raw()).isEqualTo(0x7308000000000003L);
    }

    @Test
    void versionsCompareComponentByComponent() {
        TcbVersion current = TcbVersion.milanGenoa(4, 0, 22, 213);
        assertThat(TcbVersion.milanGenoa(3, 0, 8, 115).notAbove(current)).isTrue();
        assertThat(current.notAbove(current)).isTrue();
        assertThat(TcbVersion.milanGenoa(3, 0, 23, 115).notAbove(current)).isFalse();
        assertThat(TcbVersion.turin(2, 1, 1, 4, 81).notAbove(TcbVersion.turin(1, 1, 1, 4, 81))).isFalse();
        assertThatThrownBy(() -> current.notAbove(TcbVersion.turin(1, 4, 0, 22, 213))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void componentsAreBytesAndFmcIsTurinOnly() {
        assertThatThrownBy(() -> TcbVersion.milanGenoa(256, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TcbVersion.turin(-1, 0, 0, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TcbVersion(TcbLayout.MILAN_GENOA, OptionalInt.of(1), 0, 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TcbVersion(TcbLayout.TURIN, OptionalInt.empty(), 0, 0, 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Property(tries = 500)
    void rawRoundTripsWithoutReservedBits(@ForAll long raw) {
        for (TcbLayout layout : TcbLayout.values()) {
            long clean = raw & ~layout.reservedBits(-1L);
            assertThat(TcbVersion.of(clean, layout).raw()).isEqualTo(clean);
        }
    }
}
