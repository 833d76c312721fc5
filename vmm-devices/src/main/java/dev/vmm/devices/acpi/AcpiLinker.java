package dev.vmm.devices.acpi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the tables' loader script the way firmware would, but into a fixed guest range, for guests
 * that start without firmware (a directly booted kernel): each ALLOCATE takes the next aligned place
 * in {@code [base, limit)} (the RSDP's F-segment blob first, so that it lands where Linux scans), then
 * ADD_POINTER and ADD_CHECKSUM patch the copies.
 */
public final class AcpiLinker {
    /** A blob at its guest address, with its pointers and checksums done. */
    public record Placed(String file, long address, byte[] bytes) {}

    /** What the guest gets: the blobs and the RSDP's address. */
    public record Linked(List<Placed> blobs, long rsdp) {}

    private AcpiLinker() {}

    /** Builds the tables of {@code machine} and places them in {@code [base, limit)}. */
    public static Linked link(AcpiMachine machine, long base, long limit) {
        return link(AcpiTables.build(machine), base, limit);
    }

    static Linked link(Map<String, byte[]> files, long base, long limit) {
        byte[] script = files.get(TableLoader.FILE);
        List<ByteBuffer> commands = new ArrayList<>();
        for (int i = 0; i + TableLoader.COMMAND_SIZE <= script.length; i += TableLoader.COMMAND_SIZE) {
            commands.add(ByteBuffer.wrap(script, i, TableLoader.COMMAND_SIZE).slice().order(ByteOrder.LITTLE_ENDIAN));
        }
        // The F-segment blob (the RSDP) first: Linux scans 0xE0000-0xFFFFF on 16-byte steps for it.
        List<ByteBuffer> allocations = new ArrayList<>();
        for (ByteBuffer c : commands) {
            if (c.getInt(0) == TableLoader.ALLOCATE) {
                allocations.add((c.get(4 + TableLoader.FILE_NAME_SIZE + 4) & 0xff) == TableLoader.ZONE_FSEG ? 0
                        : allocations.size(), c);
            }
        }
        Map<String, Long> addresses = new LinkedHashMap<>();
        Map<String, byte[]> copies = new LinkedHashMap<>();
        long next = base;
        for (ByteBuffer c : allocations) {
            String file = name(c, 4);
            long alignment = c.getInt(4 + TableLoader.FILE_NAME_SIZE) & 0xffff_ffffL;
            byte[] data = files.get(file);
            long at = (next + alignment - 1) & -alignment;
            if (data == null || at + data.length > limit) {
                throw new IllegalStateException(data == null ? "ALLOCATE of missing file " + file
                        : String.format("ACPI blob %s (%d bytes) does not fit in 0x%x-0x%x", file, data.length, base, limit));
            }
            addresses.put(file, at);
            copies.put(file, data.clone());
            next = at + data.length;
        }
        for (ByteBuffer c : commands) {
            switch (c.getInt(0)) {
                case TableLoader.ADD_POINTER -> {
                    byte[] pointer = copies.get(name(c, 4));
                    long pointee = addresses.get(name(c, 4 + TableLoader.FILE_NAME_SIZE));
                    int offset = c.getInt(4 + 2 * TableLoader.FILE_NAME_SIZE);
                    int size = c.get(8 + 2 * TableLoader.FILE_NAME_SIZE) & 0xff;
                    long value = 0;
                    for (int i = 0; i < size; i++) {
                        value |= (pointer[offset + i] & 0xffL) << 8 * i;
                    }
                    value += pointee;
                    for (int i = 0; i < size; i++) {
                        pointer[offset + i] = (byte) (value >>> 8 * i);
                    }
                }
                case TableLoader.ADD_CHECKSUM -> {
                    byte[] data = copies.get(name(c, 4));
                    int result = c.getInt(4 + TableLoader.FILE_NAME_SIZE);
                    int start = c.getInt(8 + TableLoader.FILE_NAME_SIZE);
                    int length = c.getInt(12 + TableLoader.FILE_NAME_SIZE);
                    int sum = 0;
                    for (int i = start; i < start + length; i++) {
                        sum += data[i];
                    }
                    data[result] = (byte) (data[result] - sum);
                }
                default -> { }
            }
        }
        List<Placed> placed = new ArrayList<>();
        copies.forEach((file, bytes) -> placed.add(new Placed(file, addresses.get(file), bytes)));
        return new Linked(placed, addresses.get(AcpiTables.RSDP_FILE));
    }

    private static String name(ByteBuffer c, int at) {
        byte[] raw = new byte[TableLoader.FILE_NAME_SIZE];
        c.get(at, raw);
        int end = 0;
        while (end < raw.length && raw[end] != 0) {
            end++;
        }
        return new String(raw, 0, end, StandardCharsets.US_ASCII);
    }
}
