package dev.vmm.devices.fwcfg;

import dev.vmm.devices.bus.BusDevice;
import dev.vmm.devices.bus.IoData;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * QEMU's firmware configuration device (docs/specs/fw_cfg.rst): a 16-bit selector at port 0x510, a
 * byte-wide data port at 0x511, and, given guest memory, the DMA interface at 0x514 ({@link FwCfgDma}).
 * Items are numbered blobs; named "files" are listed in the directory item, sorted by name as QEMU
 * sorts them.
 */
public final class FwCfg implements BusDevice {
    public static final int IO_BASE = 0x510;
    /** Selector (2 bytes) and data (1 byte). */
    public static final int IO_SIZE = 2;
    public static final int DMA_BASE = 0x514;
    public static final int DMA_SIZE = 8;

    public static final int SIGNATURE = 0x00;
    public static final int ID = 0x01;
    public static final int RAM_SIZE = 0x03;
    public static final int NB_CPUS = 0x05;
    public static final int MAX_CPUS = 0x0f;
    public static final int FILE_DIR = 0x19;
    public static final int FILE_FIRST = 0x20;
    static final int FILE_NAME_SIZE = 56;
    /** FW_CFG_ID bit 0: the traditional interface; bit 1: DMA. */
    static final int FEATURE_TRADITIONAL = 1;
    static final int FEATURE_DMA = 2;

    private final Map<Integer, byte[]> items = new TreeMap<>();
    private final Map<String, byte[]> files = new TreeMap<>();
    private int selector;
    private int offset;
    private byte[] current = new byte[0];
    private boolean sealed;

    /** Without DMA: the traditional interface only. */
    public FwCfg() {
        this(false);
    }

    public FwCfg(boolean dma) {
        items.put(SIGNATURE, "QEMU".getBytes(StandardCharsets.US_ASCII));
        items.put(ID, le32(FEATURE_TRADITIONAL | (dma ? FEATURE_DMA : 0)));
    }

    public synchronized FwCfg addItem(int key, byte[] data) {
        checkOpen();
        if (key == SIGNATURE || key == ID || key == FILE_DIR || key >= FILE_FIRST && key < 0x4000) {
            throw new IllegalArgumentException("fw_cfg item 0x" + Integer.toHexString(key) + " is reserved");
        }
        items.put(key, data.clone());
        return this;
    }

    public FwCfg addCpuCount(int cpus) {
        byte[] count = {(byte) cpus, (byte) (cpus >> 8)};
        addItem(NB_CPUS, count);
        return addItem(MAX_CPUS, count);
    }

    /** A named file, such as {@code opt/vmm/scenario} or {@code etc/e820}; names are at most 55 bytes. */
    public synchronized FwCfg addFile(String name, byte[] data) {
        checkOpen();
        if (name.getBytes(StandardCharsets.US_ASCII).length >= FILE_NAME_SIZE) {
            throw new IllegalArgumentException("fw_cfg file name longer than 55 bytes: " + name);
        }
        if (files.putIfAbsent(name, data.clone()) != null) {
            throw new IllegalArgumentException("fw_cfg file " + name + " is given twice");
        }
        return this;
    }

    private void checkOpen() {
        if (sealed) {
            throw new IllegalStateException("fw_cfg items are fixed once the guest has read one");
        }
    }

    /** Numbers the files (sorted by name) and builds the directory; called on first guest access. */
    private void seal() {
        if (sealed) {
            return;
        }
        sealed = true;
        ByteBuffer dir = ByteBuffer.allocate(4 + files.size() * 64).order(ByteOrder.BIG_ENDIAN);
        dir.putInt(files.size());
        int key = FILE_FIRST;
        for (var f : files.entrySet()) {
            byte[] name = new byte[FILE_NAME_SIZE];
            byte[] ascii = f.getKey().getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(ascii, 0, name, 0, ascii.length);
            dir.putInt(f.getValue().length).putShort((short) key).putShort((short) 0).put(name);
            items.put(key++, f.getValue());
        }
        items.put(FILE_DIR, dir.array());
    }

    @Override
    public synchronized void read(long offset, MemorySegment data) {
        seal();
        if (offset == 1 && data.byteSize() == 1) {
            IoData.set(data, this.offset < current.length ? current[this.offset++] & 0xff : 0);
        } else {
            data.fill((byte) 0);
        }
    }

    @Override
    public synchronized void write(long offset, MemorySegment data) {
        seal();
        if (offset == 0 && data.byteSize() == 2) {
            select((int) IoData.get(data));
        }
        // Writes through the data port are deprecated in QEMU and ignored here.
    }

    synchronized void select(int key) {
        seal();
        selector = key;
        offset = 0;
        current = items.getOrDefault(key, new byte[0]);
    }

    int selector() {
        return selector;
    }

    /**
     * DMA read (or skip): up to {@code length} bytes of the selected item from the current offset;
     * past the end there is nothing (the caller zero-fills). Advances the offset.
     */
    synchronized byte[] take(int length) {
        seal();
        int n = Math.max(0, Math.min(length, current.length - offset));
        byte[] out = java.util.Arrays.copyOfRange(current, offset, offset + n);
        offset += n;
        return out;
    }

    private static byte[] le32(int v) {
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
    }
}
