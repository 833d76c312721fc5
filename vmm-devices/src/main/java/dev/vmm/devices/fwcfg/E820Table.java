package dev.vmm.devices.fwcfg;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code etc/e820} fw_cfg file: the machine's memory map as QEMU hands it to firmware, entries of
 * {u64 base, u64 length, u32 type}, little-endian. OVMF counts only RAM entries (type 1).
 */
public final class E820Table {
    public static final int RAM = 1;
    public static final int RESERVED = 2;
    private static final int ENTRY_SIZE = 20;

    public record Entry(long base, long length, int type) {}

    private final List<Entry> entries = new ArrayList<>();

    public E820Table add(long base, long length, int type) {
        if (length <= 0) {
            throw new IllegalArgumentException("e820 entry of length " + length);
        }
        entries.add(new Entry(base, length, type));
        return this;
    }

    public List<Entry> entries() {
        return List.copyOf(entries);
    }

    public byte[] bytes() {
        ByteBuffer b = ByteBuffer.allocate(entries.size() * ENTRY_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        for (Entry e : entries) {
            b.putLong(e.base).putLong(e.length).putInt(e.type);
        }
        return b.array();
    }
}
