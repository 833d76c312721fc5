package dev.vmm.devices.acpi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vmm.devices.acpi.AcpiMachine.MmioWindow;
import dev.vmm.devices.bus.IoData;
import dev.vmm.devices.fwcfg.FwCfg;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AcpiTablesTest {
    static final MmioWindow PCI32 = new MmioWindow(0x8000_0000L, 0x7c00_0000L);
    static final AcpiMachine MACHINE = AcpiMachine.pc(2, PCI32);

    private static ByteBuffer le(byte[] b) {
        return LoadedTables.le(b);
    }

    private static String ascii(byte[] b, int offset, int length) {
        return new String(b, offset, length, StandardCharsets.US_ASCII);
    }

    @Test
    void buildsTheThreeFwCfgFilesOfQemu() {
        Map<String, byte[]> files = AcpiTables.build(MACHINE);
        assertThat(files).containsOnlyKeys("etc/table-loader", "etc/acpi/tables", "etc/acpi/rsdp");
        assertThat(files.get("etc/table-loader").length % 128).isZero();
        assertThat(files.get("etc/acpi/rsdp")).hasSize(36);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 4, 64, 254})
    void everyChecksumIsZeroAfterTheLoaderRan(int cpus) {
        LoadedTables loaded = new LoadedTables(AcpiMachine.pc(cpus, PCI32));
        byte[] rsdp = loaded.rsdp();
        assertThat(LoaderInterpreter.sum(rsdp, 0, Rsdp.V1_LENGTH)).isZero();
        assertThat(LoaderInterpreter.sum(rsdp, 0, Rsdp.LENGTH)).isZero();
        assertThat(loaded.addresses).containsOnlyKeys("XSDT", "FACP", "APIC", "FACS", "DSDT");
        for (var t : loaded.addresses.entrySet()) {
            byte[] table = loaded.table(t.getKey());
            assertThat(ascii(table, 0, 4)).isEqualTo(t.getKey());
            if (!t.getKey().equals("FACS")) {
                assertThat(LoaderInterpreter.sum(table, 0, table.length)).as(t.getKey()).isZero();
            }
        }
    }

    @Test
    void ovmfInstallsTheFacsDsdtFadtAndMadtOnceEach() {
        LoaderInterpreter memory = LoaderInterpreter.run(AcpiTables.build(MACHINE));
        assertThat(memory.installed()).extracting(LoaderInterpreter.Installed::signature)
                .containsExactly("FACS", "DSDT", "FACP", "APIC");
        // The 4-byte FACS and DSDT pointers keep the tables blob below 4 GiB; the RSDP may go anywhere.
        assertThat(memory.blobs().get(AcpiTables.TABLES_FILE).address()).isLessThan(1L << 32);
    }

    @Test
    void pointersReachTheRightTablesAndTheBlobsAreAligned() {
        LoadedTables loaded = new LoadedTables(MACHINE);
        byte[] fadt = loaded.table("FACP");
        assertThat(le(fadt).getInt(Fadt.DSDT) & 0xffff_ffffL).isEqualTo(loaded.addresses.get("DSDT"));
        assertThat(le(fadt).getLong(Fadt.X_FIRMWARE_CTRL)).as("X_FIRMWARE_CTRL, as QEMU").isZero();
        assertThat(loaded.addresses.get("FACS") % Facs.ALIGNMENT).isZero();
        assertThat(loaded.memory.blobs().get(AcpiTables.RSDP_FILE).address() % Rsdp.ALIGNMENT).isZero();
        assertThat(le(loaded.rsdp()).getInt(Rsdp.RSDT_ADDRESS)).isZero();
        // The XSDT lists exactly the FADT and the MADT.
        assertThat(loaded.table("XSDT")).hasSize(36 + 2 * 8);
    }

    @Test
    void loaderAllocatesTablesHighAlign64AndRsdpInTheFSegmentAlign16() {
        byte[] script = AcpiTables.build(MACHINE).get(AcpiTables.LOADER_FILE);
        List<String> allocations = new ArrayList<>();
        for (int i = 0; i < script.length; i += 128) {
            ByteBuffer c = le(script).slice(i, 128).order(ByteOrder.LITTLE_ENDIAN);
            if (c.getInt(0) == TableLoader.ALLOCATE) {
                allocations.add(ascii(script, i + 4, 56).replace("\0", "") + " " + c.getInt(60) + " " + c.get(64));
            }
        }
        assertThat(allocations).containsExactly("etc/acpi/tables 64 1", "etc/acpi/rsdp 16 2");
    }

    @Test
    void headersCarryTheirSignaturesLengthsAndRevisions() {
        LoadedTables loaded = new LoadedTables(MACHINE);
        record Expect(String sig, int revision) {}
        for (Expect e : List.of(new Expect("DSDT", 2), new Expect("FACP", 6), new Expect("APIC", 4),
                new Expect("XSDT", 1))) {
            byte[] table = loaded.table(e.sig());
            assertThat(table[8]).as(e.sig()).isEqualTo((byte) e.revision());
            assertThat(ascii(table, 10, 6)).isEqualTo("VMMDEV");
            assertThat(ascii(table, 16, 8)).isEqualTo("VMM" + e.sig() + " ");
        }
        assertThat(loaded.table("FACP")).hasSize(276);
        assertThat(loaded.table("FACP")[131]).as("FADT minor version").isEqualTo((byte) 0);
        assertThat(loaded.table("FACS")).hasSize(64);
        assertThat(loaded.table("FACS")[32]).as("FACS version").isEqualTo((byte) 2);
        byte[] rsdp = loaded.rsdp();
        assertThat(ascii(rsdp, 0, 8)).isEqualTo("RSD PTR ");
        assertThat(rsdp[15]).isEqualTo((byte) 2);
        assertThat(le(rsdp).getInt(20)).isEqualTo(36);
    }

    @Test
    void fadtDescribesThePiix4PmBlockAndTheResetRegister() {
        AcpiMachine machine = AcpiMachine.pc(1, PCI32).withGpe0(0xafe0);
        ByteBuffer f = le(new LoadedTables(machine).table("FACP"));
        assertThat(f.getShort(46)).as("SCI_INT").isEqualTo((short) 9);
        assertThat(f.getInt(48)).as("SMI_CMD").isZero();
        assertThat(f.getShort(52)).as("ACPI_ENABLE/DISABLE").isZero();
        assertThat(f.getInt(56)).as("PM1a_EVT_BLK").isEqualTo(0xb000);
        assertThat(f.getInt(64)).as("PM1a_CNT_BLK").isEqualTo(0xb004);
        assertThat(f.getInt(76)).as("PM_TMR_BLK").isEqualTo(0xb008);
        assertThat(f.getInt(80)).as("GPE0_BLK").isEqualTo(0xafe0);
        assertThat(new byte[] {f.get(88), f.get(89), f.get(90), f.get(91), f.get(92)}).containsExactly(4, 2, 0, 4, 4);
        int flags = f.getInt(112);
        assertThat(flags).isEqualTo(Fadt.WBINVD | Fadt.PROC_C1 | Fadt.SLP_BUTTON | Fadt.RESET_REG_SUP);
        assertThat(flags & Fadt.TMR_VAL_EXT).as("24-bit PM timer").isZero();
        // RESET_REG: system I/O, 8 bits, byte access, port 0xCF9; RESET_VALUE 6.
        assertThat(f.get(116)).isEqualTo((byte) 1);
        assertThat(f.get(117)).isEqualTo((byte) 8);
        assertThat(f.getLong(120)).isEqualTo(0xcf9);
        assertThat(f.get(128)).isEqualTo((byte) 6);
        // The X_ blocks repeat the legacy ones as I/O-space GAS.
        assertGas(f, 148, 32, 0xb000);
        assertGas(f, 172, 16, 0xb004);
        assertGas(f, 208, 32, 0xb008);
        assertGas(f, 220, 32, 0xafe0);
    }

    private static void assertGas(ByteBuffer f, int at, int bits, long address) {
        assertThat(f.get(at)).as("space id at %d", at).isEqualTo((byte) GenericAddress.SYSTEM_IO);
        assertThat(f.get(at + 1) & 0xff).as("bit width at %d", at).isEqualTo(bits);
        assertThat(f.getLong(at + 4)).as("address at %d", at).isEqualTo(address);
    }

    @Test
    void withoutGpe0TheFadtHasNoGpeBlock() {
        ByteBuffer f = le(new LoadedTables(MACHINE).table("FACP"));
        assertThat(f.getInt(80)).isZero();
        assertThat(f.get(92)).isZero();
        assertThat(f.getLong(224)).isZero();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 254})
    void madtHasOneLocalApicPerCpuTheIoApicTwoOverridesAndTheNmi(int cpus) {
        ByteBuffer m = le(new LoadedTables(AcpiMachine.pc(cpus, PCI32)).table("APIC"));
        assertThat(m.getInt(36)).isEqualTo(0xfee0_0000);
        assertThat(m.getInt(40)).as("PCAT_COMPAT").isEqualTo(1);
        List<String> entries = new ArrayList<>();
        int o = 44;
        while (o < m.limit()) {
            int type = m.get(o) & 0xff;
            int length = m.get(o + 1) & 0xff;
            entries.add(switch (type) {
                case 0 -> "lapic uid=%d id=%d flags=%d".formatted(m.get(o + 2) & 0xff, m.get(o + 3) & 0xff, m.getInt(o + 4));
                case 1 -> "ioapic id=%d addr=%x gsi=%d".formatted(m.get(o + 2) & 0xff, m.getInt(o + 4), m.getInt(o + 8));
                case 2 -> "iso bus=%d irq=%d gsi=%d flags=%x".formatted(m.get(o + 2), m.get(o + 3), m.getInt(o + 4), m.getShort(o + 8));
                case 4 -> "nmi uid=%x flags=%d lint=%d".formatted(m.get(o + 2) & 0xff, m.getShort(o + 3), m.get(o + 5));
                default -> "type " + type;
            });
            o += length;
        }
        assertThat(o).isEqualTo(m.limit());
        assertThat(entries).hasSize(cpus + 1 + 2 + 1);
        for (int cpu = 0; cpu < cpus; cpu++) {
            assertThat(entries.get(cpu)).isEqualTo("lapic uid=%d id=%d flags=1".formatted(cpu, cpu));
        }
        assertThat(entries.subList(cpus, entries.size())).containsExactly(
                "ioapic id=%d addr=fec00000 gsi=0".formatted(cpus),
                "iso bus=0 irq=0 gsi=2 flags=0",
                "iso bus=0 irq=9 gsi=9 flags=d",
                "nmi uid=ff flags=0 lint=1");
    }

    @Test
    void fwCfgServesTheFilesUnderQemusNames() {
        FwCfg fwCfg = new FwCfg();
        AcpiTables.addTo(fwCfg, MACHINE);
        Map<String, byte[]> expected = AcpiTables.build(MACHINE);
        ByteBuffer dir = ByteBuffer.wrap(readItem(fwCfg, FwCfg.FILE_DIR, 4 + 3 * 64));
        assertThat(dir.getInt()).isEqualTo(3);
        for (int i = 0; i < 3; i++) {
            int size = dir.getInt();
            int selector = dir.getShort() & 0xffff;
            dir.getShort();
            byte[] name = new byte[56];
            dir.get(name);
            String file = new String(name, StandardCharsets.US_ASCII).replace("\0", "");
            assertThat(expected).containsKey(file);
            assertThat(size).isEqualTo(expected.get(file).length);
            assertThat(readItem(fwCfg, selector, size)).as(file).isEqualTo(expected.get(file));
        }
    }

    private static byte[] readItem(FwCfg fwCfg, int key, int length) {
        MemorySegment selector = Arena.ofAuto().allocate(2);
        MemorySegment data = Arena.ofAuto().allocate(1);
        IoData.set(selector, key);
        fwCfg.write(0, selector);
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            fwCfg.read(1, data);
            out[i] = (byte) IoData.get(data);
        }
        return out;
    }

    @Test
    void machineDescriptionsOutsideThePcAreRefused() {
        assertThatThrownBy(() -> AcpiMachine.pc(0, PCI32)).hasMessageContaining("cpus");
        assertThatThrownBy(() -> AcpiMachine.pc(255, PCI32)).hasMessageContaining("cpus");
        assertThatThrownBy(() -> AcpiMachine.pc(1, new MmioWindow(0xf000_0000L, 0x2000_0000L)))
                .hasMessageContaining("pci32");
        assertThatThrownBy(() -> MACHINE.withPci64(new MmioWindow(0x1000, 0x1000))).hasMessageContaining("pci64");
        assertThatThrownBy(() -> MACHINE.withGpe0(0xfffe)).hasMessageContaining("gpe0");
    }
}
