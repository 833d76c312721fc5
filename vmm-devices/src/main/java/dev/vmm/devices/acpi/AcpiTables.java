package dev.vmm.devices.acpi;

import dev.vmm.devices.fwcfg.FwCfg;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ACPI tables of an {@link AcpiMachine}, as the three fw_cfg files OVMF's AcpiPlatformDxe reads
 * (QemuFwCfgAcpi.c): the loader script, the tables blob and the RSDP blob.
 *
 * <p>The firmware allocates both blobs, patches the pointers, fixes the checksums, then installs every
 * ADD_POINTER target that looks like an ACPI table (or the FACS), except the RSDT and XSDT. So each
 * table must be the target of some pointer: the FACS and DSDT through the FADT, the FADT and MADT
 * through the XSDT, the XSDT through the RSDP. OVMF builds its own RSDP and XSDT from what it installs;
 * ours serve a consumer that runs the loader and then reads the tables as found in memory.
 *
 * <p>Layout of {@code etc/acpi/tables}: FACS at 0 (64-byte aligned within a blob the loader aligns to
 * 64), DSDT, FADT, MADT, XSDT.
 */
public final class AcpiTables {
    public static final String LOADER_FILE = TableLoader.FILE;
    public static final String TABLES_FILE = "etc/acpi/tables";
    public static final String RSDP_FILE = "etc/acpi/rsdp";

    private AcpiTables() {}

    /** The fw_cfg files, by name: {@code etc/table-loader}, {@code etc/acpi/tables}, {@code etc/acpi/rsdp}. */
    public static Map<String, byte[]> build(AcpiMachine machine) {
        TableLoader loader = new TableLoader();
        AcpiBlob tables = new AcpiBlob(TABLES_FILE, Facs.ALIGNMENT, TableLoader.ZONE_HIGH, loader);
        int facs = tables.add(Facs.build(), Facs.ALIGNMENT);
        int dsdt = tables.add(Dsdt.build(machine));
        int fadt = tables.add(Fadt.build(machine, TABLES_FILE, facs, dsdt));
        int madt = tables.add(Madt.build(machine));
        int xsdt = tables.add(Xsdt.build(TABLES_FILE, fadt, madt));

        AcpiBlob rsdp = new AcpiBlob(RSDP_FILE, Rsdp.ALIGNMENT, TableLoader.ZONE_FSEG, loader);
        rsdp.add(Rsdp.build(TABLES_FILE, xsdt));

        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(LOADER_FILE, loader.toBytes());
        files.put(TABLES_FILE, tables.toBytes());
        files.put(RSDP_FILE, rsdp.toBytes());
        return files;
    }

    /** Adds the tables of {@code machine} to {@code fwCfg} as files. */
    public static void addTo(FwCfg fwCfg, AcpiMachine machine) {
        build(machine).forEach(fwCfg::addFile);
    }
}
