package dev.vmm.sev.attest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever the bytes, {@link AttestationReport#parse} returns a report or throws a
 * {@link ReportFormatException} whose offset lies inside the report: never an index error or any other
 * exception.
 */
class ReportFuzzTest {
    private static final List<byte[]> REAL = List.of(TestVectors.bytes("milan/virtee_report_v2.bin"),
            TestVectors.bytes("milan/msft_report_v3.bin"), TestVectors.bytes("milan/pysnputils_report_v5_unverified.bin"),
            TestVectors.bytes("turin/msft_report_v5.bin"), TestVectors.bytes("milan/vlek/trustee_vlek_report_v3.bin"));

    private static void parsesOrFailsCleanly(byte[] bytes) {
        try {
            AttestationReport r = AttestationReport.parse("fuzz", bytes);
            assertThat(r.raw()).isEqualTo(bytes);
            assertThat(r.version()).isBetween(2, 5);
            assertThat(r.reportedTcb().layout()).isEqualTo(r.tcbLayout());
            assertThat(r.signature().r().bitLength()).isLessThanOrEqualTo(384);
        } catch (ReportFormatException e) {
            assertThat(e.getMessage()).startsWith("fuzz: " + e.field() + " at offset 0x");
            assertThat(e.offset()).isBetween(0, AttestationReport.SIZE);
        }
    }

    @Property(tries = 3000)
    void mutatedRealReports(@ForAll("mutated") byte[] bytes) {
        parsesOrFailsCleanly(bytes);
    }

    @Property(tries = 500)
    void arbitraryBytes(@ForAll("arbitrary") byte[] bytes) {
        parsesOrFailsCleanly(bytes);
    }

    /** A real report with a few bytes changed (often the version, CPUID and TCB bytes), sometimes resized. */
    @Provide
    Arbitrary<byte[]> mutated() {
        Arbitrary<Integer> where = Arbitraries.oneOf(Arbitraries.integers().between(0, AttestationReport.SIZE - 1),
                Arbitraries.of(0, 1, 0x188, 0x189, 0x18a, 0x3a, 0x3c, 0x183, 0x1a8, 0x1f8, 0x2d0, 0x330));
        Arbitrary<int[]> change = Combinators.combine(where, Arbitraries.integers().between(0, 255)).as((at, v) -> new int[] {at, v});
        Arbitrary<Integer> length = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.just(AttestationReport.SIZE)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(0, AttestationReport.SIZE + 64)));
        return Combinators.combine(Arbitraries.of(REAL), change.list().ofMinSize(1).ofMaxSize(6), length)
                .as((real, changes, n) -> {
                    byte[] b = real.clone();
                    for (int[] c : changes) {
                        b[c[0]] = (byte) c[1];
                    }
                    return Arrays.copyOf(b, n);
                });
    }

    /** Random bytes, mostly of the right length and a plausible version, so they reach the later checks. */
    @Provide
    Arbitrary<byte[]> arbitrary() {
        Arbitrary<byte[]> sized = Arbitraries.bytes().array(byte[].class).ofSize(AttestationReport.SIZE);
        return Arbitraries.oneOf(Arbitraries.bytes().array(byte[].class).ofMaxSize(2000),
                Combinators.combine(sized, Arbitraries.integers().between(0, 7)).as((b, v) -> {
                    b[0] = v.byteValue();
                    b[1] = b[2] = b[3] = 0;
                    return b;
                }));
    }
}
