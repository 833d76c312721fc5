package dev.vmm.devices.virtio.block;

import static dev.vmm.devices.virtio.block.BlockLayouts.*;

import dev.vmm.core.abi.CName;
import dev.vmm.devices.virtio.DeviceConfig;
import dev.vmm.devices.virtio.VirtioDevice;
import dev.vmm.devices.virtio.VirtioFeatures;
import dev.vmm.devices.virtio.VirtioQueues;
import dev.vmm.devices.virtio.queue.DescriptorChain;
import dev.vmm.devices.virtio.queue.SplitQueue;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * virtio-blk over a raw image file (virtio 1.2, 5.2): read, write, flush (fsync before the request
 * is returned), get-id, discard and write-zeroes, read-only with {@code VIRTIO_BLK_F_RO}. A request
 * is a 16-byte header, data, and a status byte in the last writable byte; a request outside the disk,
 * a write to a read-only disk or a malformed request gets IOERR or UNSUPP in its status, never a
 * read or write outside the file's sectors. A chain with no room for the status is a ring violation.
 */
public final class VirtioBlock implements VirtioDevice, AutoCloseable {
    @CName("VIRTIO_ID_BLOCK") public static final int TYPE = 2;
    public static final int SECTOR_SIZE = 512;
    public static final int QUEUE_SIZE = 256;
    /** Data segments per request the driver may use (seg_max), as QEMU's default queue size minus 2. */
    static final int SEG_MAX = QUEUE_SIZE - 2;
    /** Sectors one discard or write-zeroes segment may cover, and segments per request. */
    static final int MAX_ZERO_SECTORS = 1 << 20;
    static final int MAX_SEGMENTS = 16;
    /** PCI class mass storage, SCSI (01/00), as QEMU's virtio-blk-pci. */
    private static final int PCI_CLASS_STORAGE_SCSI = 0x010000;

    private final String name;
    private final Path image;
    private final FileChannel file;
    private final boolean readonly;
    private final long sectors;
    private final byte[] id;
    private final ByteBuffer configBytes;
    private VirtioQueues active;
    private long requests;
    private long errors;

    /** Opens {@code image} (read-only if {@code readonly}); its size, rounded down to sectors, is the disk's. */
    public VirtioBlock(String name, Path image, boolean readonly) throws IOException {
        this.name = name;
        this.image = image;
        this.readonly = readonly;
        this.file = readonly ? FileChannel.open(image, StandardOpenOption.READ)
                : FileChannel.open(image, StandardOpenOption.READ, StandardOpenOption.WRITE);
        this.sectors = file.size() / SECTOR_SIZE;
        byte[] serial = image.getFileName().toString().getBytes(StandardCharsets.US_ASCII);
        this.id = Arrays.copyOf(serial, Math.min(serial.length, ID_BYTES));
        configBytes = ByteBuffer.allocate(CONFIG_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        configBytes.putLong(CAPACITY, sectors);
        configBytes.putInt(BlockLayouts.SEG_MAX, SEG_MAX);
        configBytes.putInt(BLK_SIZE, SECTOR_SIZE);
        configBytes.putShort(NUM_QUEUES, (short) 1);
        configBytes.putInt(MAX_DISCARD_SECTORS, MAX_ZERO_SECTORS);
        configBytes.putInt(MAX_DISCARD_SEG, MAX_SEGMENTS);
        configBytes.putInt(DISCARD_SECTOR_ALIGNMENT, 1);
        configBytes.putInt(MAX_WRITE_ZEROES_SECTORS, MAX_ZERO_SECTORS);
        configBytes.putInt(MAX_WRITE_ZEROES_SEG, MAX_SEGMENTS);
    }

    @Override public int deviceType() { return TYPE; }
    @Override public String name() { return name; }
    @Override public int pciClass() { return PCI_CLASS_STORAGE_SCSI; }
    @Override public int[] queueMaxSizes() { return new int[] {QUEUE_SIZE}; }
    @Override public int configSize() { return CONFIG_SIZE; }

    @Override
    public long features() {
        long f = VirtioFeatures.bit(F_SEG_MAX) | VirtioFeatures.bit(F_BLK_SIZE) | VirtioFeatures.bit(F_FLUSH);
        return readonly ? f | VirtioFeatures.bit(F_RO)
                : f | VirtioFeatures.bit(F_DISCARD) | VirtioFeatures.bit(F_WRITE_ZEROES);
    }

    public long sectors() {
        return sectors;
    }

    public long requests() {
        return requests;
    }

    /** Requests answered with IOERR or UNSUPP. */
    public long errors() {
        return errors;
    }

    @Override
    public int readConfig(int offset, int size) {
        return DeviceConfig.read(configBytes.array(), offset, size);
    }

    @Override
    public void activate(VirtioQueues queues) {
        active = queues;
    }

    @Override
    public void reset() {
        active = null;
    }

    @Override
    public void process(int index) {
        SplitQueue q = active.queues().get(index);
        boolean used = false;
        for (DescriptorChain c; (c = q.pop()) != null; ) {
            q.pushUsed(c, serve(c));
            used = true;
        }
        if (used) {
            active.usedBuffers(index);
        }
    }

    /** Carries out one request; returns the bytes written into its writable buffers. */
    private int serve(DescriptorChain c) {
        requests++;
        if (c.readableBytes() < HEADER_SIZE || c.writableBytes() < 1) {
            throw new dev.vmm.devices.virtio.queue.VirtqueueViolation(name + ": request at head " + c.head() + " has "
                    + c.readableBytes() + " readable and " + c.writableBytes() + " writable bytes; it needs a 16-byte "
                    + "header and a status byte");
        }
        ByteBuffer h = ByteBuffer.wrap(readBytes(c, 0, HEADER_SIZE)).order(ByteOrder.LITTLE_ENDIAN);
        int type = h.getInt(0);
        long sector = h.getLong(8);
        long dataIn = c.writableBytes() - 1;                 // writable bytes before the status
        int written = 0;
        int status;
        try {
            switch (type) {
                case T_IN -> {
                    status = inRange(sector, dataIn) ? S_OK : S_IOERR;
                    if (status == S_OK) {
                        written = readDisk(c, sector, dataIn);
                    }
                }
                case T_OUT -> {
                    long length = c.readableBytes() - HEADER_SIZE;
                    status = readonly || !inRange(sector, length) ? S_IOERR : writeDisk(c, sector, length);
                }
                case T_FLUSH -> {
                    if (!readonly) {
                        file.force(true);
                    }
                    status = S_OK;
                }
                case T_GET_ID -> {
                    byte[] out = Arrays.copyOf(id, (int) Math.min(ID_BYTES, dataIn));
                    written = c.write(active.memory(), 0, out);
                    status = S_OK;
                }
                case T_DISCARD, T_WRITE_ZEROES -> status = readonly ? S_IOERR : zeroes(c, type == T_WRITE_ZEROES);
                default -> status = S_UNSUPP;
            }
        } catch (IOException e) {
            status = S_IOERR;
        }
        if (status != S_OK) {
            errors++;
        }
        c.write(active.memory(), dataIn, new byte[] {(byte) status});
        return written + 1;
    }

    private byte[] readBytes(DescriptorChain c, long offset, int length) {
        byte[] b = new byte[length];
        c.read(active.memory(), offset, b);
        return b;
    }

    /** Whole sectors inside the disk. */
    private boolean inRange(long sector, long bytes) {
        if (bytes % SECTOR_SIZE != 0 || sector < 0 || sector > sectors) {
            return false;
        }
        return bytes / SECTOR_SIZE <= sectors - sector;
    }

    private static final int CHUNK = 1 << 20;

    /** Reads the sectors straight into the guest's buffers (no copy through the heap). */
    private int readDisk(DescriptorChain c, long sector, long length) throws IOException {
        long at = sector * SECTOR_SIZE;
        for (MemorySegment s : c.writableSegments(active.memory(), 0, length)) {
            ByteBuffer buf = s.asByteBuffer();
            while (buf.hasRemaining()) {
                if (file.read(buf, at + buf.position()) < 0) {
                    s.asSlice(buf.position()).fill((byte) 0);       // past the end of a short file: zeros
                    break;
                }
            }
            at += s.byteSize();
        }
        return (int) length;
    }

    /** Writes the sectors straight from the guest's buffers. */
    private int writeDisk(DescriptorChain c, long sector, long length) throws IOException {
        long at = sector * SECTOR_SIZE;
        for (MemorySegment s : c.readableSegments(active.memory(), HEADER_SIZE, length)) {
            ByteBuffer buf = s.asByteBuffer();
            while (buf.hasRemaining()) {
                file.write(buf, at + buf.position());
            }
            at += s.byteSize();
        }
        return S_OK;
    }

    /** Discard (a hint: this device keeps the data) or write-zeroes over each segment, all checked first. */
    private int zeroes(DescriptorChain c, boolean write) throws IOException {
        long bytes = c.readableBytes() - HEADER_SIZE;
        if (bytes == 0 || bytes % SEGMENT_SIZE != 0 || bytes / SEGMENT_SIZE > MAX_SEGMENTS) {
            return S_UNSUPP;
        }
        int count = (int) (bytes / SEGMENT_SIZE);
        ByteBuffer segs = ByteBuffer.wrap(readBytes(c, HEADER_SIZE, count * SEGMENT_SIZE)).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < count; i++) {
            long sector = segs.getLong(i * SEGMENT_SIZE);
            long n = Integer.toUnsignedLong(segs.getInt(i * SEGMENT_SIZE + 8));
            int flags = segs.getInt(i * SEGMENT_SIZE + 12);
            if (n > MAX_ZERO_SECTORS || !inRange(sector, n * SECTOR_SIZE) || (flags & ~WRITE_ZEROES_FLAG_UNMAP) != 0) {
                return S_UNSUPP;
            }
        }
        if (write) {
            byte[] zero = new byte[CHUNK];
            for (int i = 0; i < count; i++) {
                long at = segs.getLong(i * SEGMENT_SIZE) * SECTOR_SIZE;
                long left = Integer.toUnsignedLong(segs.getInt(i * SEGMENT_SIZE + 8)) * SECTOR_SIZE;
                while (left > 0) {
                    ByteBuffer buf = ByteBuffer.wrap(zero, 0, (int) Math.min(CHUNK, left));
                    while (buf.hasRemaining()) {
                        file.write(buf, at + (buf.position()));
                    }
                    at += buf.limit();
                    left -= buf.limit();
                }
            }
        }
        return S_OK;
    }

    @Override
    public void close() throws IOException {
        file.close();
    }

    @Override
    public String toString() {
        return name + " (" + image + ", " + sectors + " sectors" + (readonly ? ", read-only" : "") + ")";
    }
}
