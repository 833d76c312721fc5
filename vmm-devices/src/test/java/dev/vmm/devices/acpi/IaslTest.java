package dev.vmm.devices.acpi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmm.devices.acpi.AcpiMachine.MmioWindow;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The tables checked by ACPICA's own parser: each one, as loaded, disassembles cleanly with
 * {@code iasl -d}, and compiling the disassembly gives back the same bytes (bar the checksum, which iasl
 * recomputes, and the creator id, which iasl sets to its own).
 */
class IaslTest {
    static final AcpiMachine MACHINE = AcpiMachine.pc(2, AcpiTablesTest.PCI32)
            .withPci64(new MmioWindow(0x8_0000_0000L, 0x8_0000_0000L))
            .withGpe0(0xafe0);

    @TempDir
    Path dir;

    private Iasl iasl;
    private LoadedTables loaded;

    @BeforeEach
    void setUp() {
        iasl = Iasl.in(dir);
        loaded = new LoadedTables(MACHINE);
    }

    /** The .dsl without comments and with all white space runs made one space. */
    private static String flat(String dsl) {
        return dsl.replaceAll("/\\*(?s).*?\\*/", " ").replaceAll("//[^\n]*", " ").replaceAll("\\s+", " ");
    }

    @Test
    void dsdtDisassemblesToTheHostBridgeComAndS5() throws Exception {
        String dsl = flat(iasl.disassemble("dsdt", loaded.table("DSDT")));
        assertThat(dsl).doesNotContain("****");
        assertThat(dsl).contains(
                "DefinitionBlock (\"\", \"DSDT\", 2, \"VMMDEV\", \"VMMDSDT \", 0x00000001)",
                "Scope (\\_SB) { Device (PCI0) { Name (_HID, EisaId (\"PNP0A03\") ) Name (_ADR, Zero) "
                        + "Name (_UID, Zero) Name (_BBN, Zero) Name (_CRS, ResourceTemplate () {",
                "WordBusNumber (ResourceProducer, MinFixed, MaxFixed, PosDecode, 0x0000, 0x0000, 0x00FF, 0x0000, 0x0100, ,, )",
                "IO (Decode16, 0x0CF8, 0x0CF8, 0x01, 0x08, )",
                "WordIO (ResourceProducer, MinFixed, MaxFixed, PosDecode, EntireRange, 0x0000, 0x0000, 0x0CF7, 0x0000, 0x0CF8,",
                "WordIO (ResourceProducer, MinFixed, MaxFixed, PosDecode, EntireRange, 0x0000, 0x0D00, 0xFFFF, 0x0000, 0xF300,",
                "DWordMemory (ResourceProducer, PosDecode, MinFixed, MaxFixed, NonCacheable, ReadWrite, "
                        + "0x00000000, 0x80000000, 0xFBFFFFFF, 0x00000000, 0x7C000000,",
                "QWordMemory (ResourceProducer, PosDecode, MinFixed, MaxFixed, NonCacheable, ReadWrite, "
                        + "0x0000000000000000, 0x0000000800000000, 0x0000000FFFFFFFFF, 0x0000000000000000, 0x0000000800000000,",
                "Device (ISA) { Name (_ADR, 0x00010000) Device (COM1) { Name (_HID, EisaId (\"PNP0501\") ) "
                        + "Name (_UID, One) Method (_STA, 0, NotSerialized) { Return (0x0F) } "
                        + "Name (_CRS, ResourceTemplate () { IO (Decode16, 0x03F8, 0x03F8, 0x01, 0x08, ) IRQNoFlags () {4} })",
                "Name (_S5, Package (0x04) { Zero, Zero, Zero, Zero })");
    }

    @Test
    void dsdtRecompilesByteForByte() throws Exception {
        byte[] ours = loaded.table("DSDT");
        String dsl = iasl.disassemble("dsdt", ours);
        // -oa: no optimisations, or iasl would shorten \_SB to _SB at the root.
        Iasl.Compiled again = iasl.compile("dsdt-again", dsl, "-oa");
        assertThat(again.output()).contains("0 Errors");
        // The one warning: PCI0 has both _HID and _ADR, as QEMU's does (ACPI 6.0 §6.1: "should not").
        assertThat(again.output().lines().filter(l -> l.startsWith("Warning")))
                .allMatch(l -> l.contains("3073"));
        assertSameTable(again.aml(), ours);
    }

    @ParameterizedTest
    @ValueSource(strings = {"FACP", "APIC", "XSDT", "FACS"})
    void dataTablesDisassembleAndRecompileToTheSameBytes(String signature) throws Exception {
        byte[] ours = loaded.table(signature);
        String dsl = iasl.disassemble(signature.toLowerCase(), ours);
        assertThat(dsl).doesNotContain("****", "Incorrect", "Unknown", "Invalid");
        Iasl.Compiled again = iasl.compile(signature.toLowerCase() + "-again", dsl);
        assertThat(again.output()).contains("0 Errors, 0 Warnings");
        assertSameTable(again.aml(), ours);
    }

    @Test
    void fadtFieldsAsIaslReadsThem() throws Exception {
        String dsl = iasl.disassemble("facp", loaded.table("FACP"));
        assertThat(dsl.replaceAll(" +", " ")).contains(
                "Revision : 06",
                "FACS Address : " + hex8(loaded.addresses.get("FACS")),
                "DSDT Address : " + hex8(loaded.addresses.get("DSDT")),
                "SCI Interrupt : 0009",
                "SMI Command Port : 00000000",
                "PM1A Event Block Address : 0000B000",
                "PM1A Control Block Address : 0000B004",
                "PM Timer Block Address : 0000B008",
                "GPE0 Block Address : 0000AFE0",
                "WBINVD instruction is operational (V1) : 1",
                "All CPUs support C1 (V1) : 1",
                "Control Method Sleep Button (V1) : 1",
                "32-bit PM Timer (V1) : 0",
                "Reset Register Supported (V2) : 1",
                "Address : 0000000000000CF9",
                "Value to cause reset : 06",
                "FADT Minor Revision : 00");
    }

    @Test
    void madtEntriesAsIaslReadsThem() throws Exception {
        String dsl = iasl.disassemble("apic", loaded.table("APIC")).replaceAll(" +", " ");
        assertThat(dsl).contains("Local Apic Address : FEE00000", "PC-AT Compatibility : 1",
                "I/O Apic ID : 02", "Address : FEC00000");
        assertThat(dsl.split("\\[Processor Local APIC\\]", -1)).hasSize(MACHINE.cpus() + 1);
        assertThat(dsl.split("\\[Interrupt Source Override\\]", -1)).hasSize(3);
        assertThat(dsl).contains("[Local APIC NMI]", "Interrupt Input LINT : 01");
    }

    /**
     * iasl 20200925 does not disassemble an RSDP from a file, so the check goes the other way: the RSDP
     * compiled by iasl from our field values, with iasl's own layout and both checksums, is our RSDP.
     */
    @Test
    void rsdpIsWhatIaslCompilesFromItsFields() throws Exception {
        byte[] ours = loaded.rsdp();
        long xsdt = LoadedTables.le(ours).getLong(Rsdp.XSDT_ADDRESS);
        String source = String.join("\n",
                "[0008] Signature : \"RSD PTR \"",
                "[0001] Checksum : 00",
                "[0006] Oem ID : \"VMMDEV\"",
                "[0001] Revision : 02",
                "[0004] RSDT Address : 00000000",
                "[0004] Length : 00000024",
                "[0008] XSDT Address : %016X".formatted(xsdt),
                "[0001] Extended Checksum : 00",
                "[0003] Reserved : 000000", "");
        assertThat(iasl.compile("rsdp", source).aml()).isEqualTo(ours);
    }

    private static String hex8(long value) {
        return "%08X".formatted(value);
    }

    /** Same bytes except the checksum and, for tables with a header, the creator id and revision. */
    private static void assertSameTable(byte[] iaslBytes, byte[] ours) {
        assertThat(iaslBytes).hasSameSizeAs(ours);
        if (new String(ours, 0, 4).equals("FACS")) {
            assertThat(iaslBytes).isEqualTo(ours);
            return;
        }
        assertThat(Arrays.copyOfRange(iaslBytes, 0, 9)).isEqualTo(Arrays.copyOfRange(ours, 0, 9));
        assertThat(Arrays.copyOfRange(iaslBytes, 10, 28)).isEqualTo(Arrays.copyOfRange(ours, 10, 28));
        assertThat(Arrays.copyOfRange(iaslBytes, 36, iaslBytes.length))
                .isEqualTo(Arrays.copyOfRange(ours, 36, ours.length));
    }
}
