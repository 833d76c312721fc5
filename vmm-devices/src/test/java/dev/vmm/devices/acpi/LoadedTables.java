package dev.vmm.devices.acpi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tables of a machine as an OS finds them after the firmware ran the loader: from the RSDP to the
 * XSDT, from there to every listed table, and through the FADT to the FACS and DSDT.
 */
final class LoadedTables {
    final LoaderInterpreter memory;
    final Map<String, Long> addresses = new LinkedHashMap<>();

    LoadedTables(AcpiMachine machine) {
        memory = LoaderInterpreter.run(AcpiTables.build(machine));
        long xsdt = le(rsdp()).getLong(Rsdp.XSDT_ADDRESS);
        addresses.put("XSDT", xsdt);
        byte[] x = memory.table(xsdt);
        for (int o = TableWriter.HEADER_SIZE; o < x.length; o += 8) {
            long address = le(x).getLong(o);
            addresses.put(new String(memory.read(address, 4), StandardCharsets.US_ASCII), address);
        }
        byte[] fadt = table("FACP");
        addresses.put("FACS", le(fadt).getInt(Fadt.FIRMWARE_CTRL) & 0xffff_ffffL);
        addresses.put("DSDT", le(fadt).getLong(Fadt.X_DSDT));
    }

    static ByteBuffer le(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The RSDP blob as loaded. */
    byte[] rsdp() {
        return memory.blobs().get(AcpiTables.RSDP_FILE).data().clone();
    }

    /** The table with {@code signature} (FACP, APIC, XSDT, DSDT, FACS) as loaded. */
    byte[] table(String signature) {
        Long address = addresses.get(signature);
        if (address == null) {
            throw new AssertionError("no " + signature + " reachable from the RSDP");
        }
        return memory.table(address);
    }
}
