package dev.vmm.sev.attest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmm.sev.tcb.TcbLayout;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Malformed reports fail with a {@link ReportFormatException} naming the field and offset. */
class ReportFormatTest {
    private static final byte[] V2 = TestVectors.bytes("milan/virtee_report_v2.bin");
    private static final byte[] V3 = TestVectors.bytes("milan/msft_report_v3.bin");
    private static final byte[] V5 = TestVectors.bytes("turin/msft_report_v5.bin");

    private static ReportFormatException fails(byte[] bytes) {
        try {
            AttestationReport.parse("r.bin", bytes);
        } catch (ReportFormatException e) {
            assertThat(e.getMessage()).startsWith("r.bin: " + e.field() + " at offset 0x" + Integer.toHexString(e.offset()) + ": ");
            return e;
        }
        throw new AssertionError("parsed");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 1183, 1185, 4000})
    void theLengthMustBe1184(int length) {
        ReportFormatException e = fails(Arrays.copyOf(V3, length));
        assertThat(e.field()).isEqualTo("ATTESTATION_REPORT");
        assertThat(e.getMessage()).contains(length + " bytes; a report is exactly 1184");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 6, 0x100})
    void unknownVersionsAreRejected(int version) {
        byte[] b = V3.clone();
        b[0] = (byte) version;
        b[1] = (byte) (version >> 8);
        ReportFormatException e = fails(b);
        assertThat(e.field()).isEqualTo("VERSION");
        assertThat(e.offset()).isZero();
        assertThat(e.getMessage()).contains(version + " is not a known report version");
    }

    @Test
    void version4ParsesLikeVersion3() {
        byte[] b = V3.clone();
        b[0] = 4;
        AttestationReport r = AttestationReport.parse("r", b);
        assertThat(r.version()).isEqualTo(4);
        assertThat(r.cpuid()).isPresent();
        assertThat(r.launchMitVector()).isEmpty();
    }

    /** One byte set in each reserved range, per version: the error names the range and the byte's offset. */
    @ParameterizedTest
    @CsvSource({
            "2, 0x04c, reserved 0x04c..0x04f",
            "2, 0x04f, reserved 0x04c..0x04f",
            "2, 0x188, reserved 0x188..0x19f (version 2)",
            "2, 0x19f, reserved 0x188..0x19f (version 2)",
            "3, 0x18b, reserved 0x18b..0x19f",
            "5, 0x19f, reserved 0x18b..0x19f",
            "3, 0x1eb, reserved 0x1eb",
            "3, 0x1ef, reserved 0x1ef",
            "2, 0x1f8, reserved 0x1f8..0x29f (version 2)",
            "3, 0x29f, reserved 0x1f8..0x29f (version 3)",
            "5, 0x208, reserved 0x208..0x29f",
            "5, 0x29f, reserved 0x208..0x29f",
            "2, 0x2d0, SIGNATURE.R",
            "3, 0x2e7, SIGNATURE.R",
            "5, 0x318, SIGNATURE.S",
            "2, 0x330, SIGNATURE reserved 0x330..0x49f",
            "3, 0x400, SIGNATURE reserved 0x330..0x49f",
            "5, 0x49f, SIGNATURE reserved 0x330..0x49f",
    })
    void reservedBytesMustBeZero(int version, String offset, String field) {
        byte[] b = (version == 2 ? V2 : version == 3 ? V3 : V5).clone();
        int at = Integer.decode(offset);
        b[at] = 0x55;
        ReportFormatException e = fails(b);
        assertThat(e.field()).isEqualTo(field);
        assertThat(e.offset()).isEqualTo(at);
        assertThat(e.getMessage()).contains("0x55");
    }

    @Test
    void versionFiveFieldsAreNotReservedInVersionFive() {
        byte[] b = V5.clone();
        b[0x1f8] = 7;
        b[0x207] = 1;
        AttestationReport r = AttestationReport.parse("r", b);
        assertThat(r.launchMitVector()).hasValue(7);
        assertThat(r.currentMitVector()).hasValue(63 | 1L << 56);
    }

    @ParameterizedTest
    @CsvSource({
            // Milan/Genoa TCB bytes 2..5 are reserved; Turin's 4..6.
            "2, 0x3a, CURRENT_TCB, byte 2 of a Milan/Genoa TCB_VERSION",
            "2, 0x185, REPORTED_TCB, byte 5 of a Milan/Genoa TCB_VERSION",
            "3, 0x1e2, COMMITTED_TCB, byte 2 of a Milan/Genoa TCB_VERSION",
            "5, 0x1f4, LAUNCH_TCB, byte 4 of a Turin TCB_VERSION",
            "5, 0x3e, CURRENT_TCB, byte 6 of a Turin TCB_VERSION",
    })
    void reservedTcbBytesMustBeZero(int version, String offset, String field, String problem) {
        byte[] b = (version == 2 ? V2 : version == 3 ? V3 : V5).clone();
        int at = Integer.decode(offset);
        b[at] = 1;
        ReportFormatException e = fails(b);
        assertThat(e.field()).isEqualTo(field);
        assertThat(e.offset()).isEqualTo(at);
        assertThat(e.getMessage()).contains(problem + " is reserved and must be 0, not 0x01");
    }

    @Test
    void turinBytesThatAreReservedOnMilanAreSplsOnTurin() {
        // Byte 3 of a Turin TCB is the SNP SPL; on Milan it would be reserved.
        byte[] b = V5.clone();
        b[0x183] = 9;
        assertThat(AttestationReport.parse("r", b).reportedTcb().snp()).isEqualTo(9);
        byte[] m = V3.clone();
        m[0x183] = 9;
        assertThat(fails(m).field()).isEqualTo("REPORTED_TCB");
    }

    @Test
    void aV3ReportMustComeFromAnSnpFamily() {
        byte[] b = V3.clone();
        b[0x188] = 0x17;
        ReportFormatException e = fails(b);
        assertThat(e.field()).isEqualTo("CPUID_FAM_ID");
        assertThat(e.offset()).isEqualTo(0x188);
        assertThat(e.getMessage()).contains("family 0x17 is not an SEV-SNP processor family");
    }

    @Test
    void anUnknownModelOfAnSnpFamilyParsesWithoutAProduct() {
        byte[] b = V3.clone();
        b[0x189] = 0x70;
        AttestationReport r = AttestationReport.parse("r", b);
        assertThat(r.product()).isEmpty();
        assertThat(r.tcbLayout()).isEqualTo(TcbLayout.MILAN_GENOA);
    }

    @Test
    void aV2ReportWithAnEightByteChipIdIsReadAsTurin() {
        byte[] b = V2.clone();
        Arrays.fill(b, 0x1a0 + 8, 0x1e0, (byte) 0);
        byte[] turinTcb = TestVectors.hex("0102030400000051");
        for (int at : new int[] {0x38, 0x180, 0x1e0, 0x1f0}) {
            System.arraycopy(turinTcb, 0, b, at, 8);
        }
        AttestationReport r = AttestationReport.parse("r", b);
        assertThat(r.product()).contains(Product.TURIN);
        assertThat(r.tcbLayout()).isEqualTo(TcbLayout.TURIN);
        assertThat(r.reportedTcb()).hasToString("fmc 1, bl 2, tee 3, snp 4, ucode 81");
        // A hint wins for v2: read as Milan, byte 2 of each TCB is reserved and not zero.
        assertThatThrownBy(() -> AttestationReport.parse("r", b, java.util.Optional.of(Product.MILAN)))
                .isInstanceOf(ReportFormatException.class).hasMessageContaining("CURRENT_TCB at offset 0x3a");
    }
}
