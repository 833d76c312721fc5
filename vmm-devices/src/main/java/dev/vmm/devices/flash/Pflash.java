package dev.vmm.devices.flash;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import dev.vmm.devices.bus.BusDevice;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An Intel/Sharp command-set CFI NOR flash, 8 bits wide with 4 KiB erase blocks, as QEMU's
 * pflash_cfi01 models the PC's system flash: OVMF keeps its UEFI variables in it
 * (OvmfPkg/QemuFlashFvbServicesRuntimeDxe).
 *
 * <p>Commands, written to any address of the chip: read array (0xFF, also 0xF0 and QEMU's 0x00),
 * read status (0x70), clear status (0x50, which also returns to read array, as in QEMU), read
 * identifier (0x90: manufacturer 0x89 at offset 0, device 0x18 at 1), CFI query (0x98), byte program
 * (0x10 or 0x40, then the data), block erase (0x20 at an address in the block, then confirm 0xD0; the
 * block becomes 0xFF when confirmed, where QEMU erases on the setup) and block lock setup (0x60 with
 * 0xD0 or 0x01, accepted and ignored). Like QEMU, an unknown command (buffered program 0xE8
 * included) or a bad second cycle returns to read-array mode. The status register reads 0x80 (ready)
 * at power-on and after every operation and 0x00 after clear status: OVMF's detection relies on that.
 * A wider access reads or programs consecutive bytes; in status, identifier and query modes each
 * byte reads what a byte access to its address would.
 *
 * <p>The contents are the file, mapped shared: a completed program or erase is in the file at once
 * (the page cache is the file), so it survives the VMM's own end however abrupt; {@link #flush()} and
 * {@link #close()} also write it to the disk. A flash opened read-only fails programs and erases
 * with the error bits set (0x10, 0x20), as QEMU's read-only pflash does.
 *
 * <p>For speed the owner maps {@link #arrayMemory()} read-only into the guest while the chip is in
 * read-array mode, and removes that mapping when a command leaves it; a {@link RomdListener} says
 * when. Without such a mapping the device serves every read itself.
 */
public final class Pflash implements BusDevice, AutoCloseable {
    public static final int BLOCK_SIZE = 4096;
    public static final int MANUFACTURER_ID = 0x89;
    public static final int DEVICE_ID = 0x18;

    static final int QEMU_READ_ARRAY = 0x00;
    static final int PROGRAM = 0x10;
    static final int BLOCK_ERASE = 0x20;
    static final int PROGRAM_ALT = 0x40;
    static final int CLEAR_STATUS = 0x50;
    static final int LOCK_SETUP = 0x60;
    static final int READ_STATUS = 0x70;
    static final int READ_IDENTIFIER = 0x90;
    static final int CFI_QUERY = 0x98;
    static final int CONFIRM = 0xd0;
    static final int AMD_RESET = 0xf0;
    static final int READ_ARRAY = 0xff;
    static final int LOCK_BIT = 0x01;

    static final int STATUS_READY = 0x80;
    static final int STATUS_ERASE_ERROR = 0x20;
    static final int STATUS_PROGRAM_ERROR = 0x10;

    private enum Mode {
        ARRAY, STATUS, IDENTIFIER, QUERY,
        /** After 0x10/0x40: the next write is the data. */
        PROGRAM_DATA,
        /** After 0x20: the next write must be 0xD0. */
        ERASE_CONFIRM,
        /** After 0x60: the next write must be 0xD0 or 0x01. */
        LOCK_CONFIRM
    }

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;
    private final Arena arena;
    private final MemorySegment storage;
    private final boolean readOnly;
    private final byte[] cfi;
    private Mode mode = Mode.ARRAY;
    private int status = STATUS_READY;
    private long eraseAddress;
    private RomdListener listener = RomdListener.NONE;
    private boolean closed;

    private Pflash(Path file, FileChannel channel, FileLock lock, Arena arena, MemorySegment storage, boolean readOnly) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
        this.arena = arena;
        this.storage = storage;
        this.readOnly = readOnly;
        this.cfi = CfiTable.build(storage.byteSize(), BLOCK_SIZE);
    }

    /**
     * Opens {@code file} as the flash contents; its size (a multiple of 4 KiB) is the flash size. The
     * file is locked against a second VM, as QEMU locks its images.
     */
    public static Pflash open(Path file, boolean readOnly) {
        FileChannel channel = null;
        Arena arena = null;
        try {
            channel = readOnly ? FileChannel.open(file, StandardOpenOption.READ)
                    : FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            long size = channel.size();
            if (size <= 0 || size % BLOCK_SIZE != 0) {
                throw new IllegalArgumentException(file + ": a flash image must be a positive multiple of "
                        + BLOCK_SIZE + " bytes, this one has " + size);
            }
            FileLock lock = lock(channel, readOnly);
            if (lock == null) {
                throw new IllegalStateException(file + ": in use by another VM (locked)");
            }
            arena = Arena.ofShared();
            MemorySegment storage = channel.map(readOnly ? FileChannel.MapMode.READ_ONLY
                    : FileChannel.MapMode.READ_WRITE, 0, size, arena);
            return new Pflash(file, channel, lock, arena, storage, readOnly);
        } catch (NoSuchFileException e) {
            closeQuietly(channel, arena);
            throw new UncheckedIOException(file + ": no such flash image", e);
        } catch (IOException e) {
            closeQuietly(channel, arena);
            throw new UncheckedIOException(file + ": cannot open the flash image: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(channel, arena);
            throw e;
        }
    }

    private static FileLock lock(FileChannel channel, boolean shared) throws IOException {
        try {
            return channel.tryLock(0, Long.MAX_VALUE, shared);
        } catch (OverlappingFileLockException e) {
            return null; // held by this JVM
        }
    }

    private static void closeQuietly(FileChannel channel, Arena arena) {
        if (arena != null) {
            arena.close();
        }
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException ignored) {
            // already failing with a better message
        }
    }

    public long size() {
        return storage.byteSize();
    }

    public boolean isReadOnly() {
        return readOnly;
    }

    /**
     * The contents, for the owner to map read-only into the guest at the flash's address (a
     * page-aligned host mapping of {@link #size()} bytes). Valid until {@link #close()}.
     */
    public MemorySegment arrayMemory() {
        return storage.asReadOnly();
    }

    public synchronized boolean inArrayMode() {
        return mode == Mode.ARRAY;
    }

    /** Sets the listener and tells it the current mode at once, so that the owner starts in step. */
    public synchronized void setRomdListener(RomdListener listener) {
        this.listener = listener;
        listener.romd(mode == Mode.ARRAY);
    }

    @Override
    public synchronized void read(long offset, MemorySegment data) {
        checkOpen();
        for (int i = 0; i < data.byteSize(); i++) {
            data.set(JAVA_BYTE, i, (byte) readByte(offset + i));
        }
    }

    private int readByte(long offset) {
        if (offset >= storage.byteSize()) {
            return 0xff; // an access crossing the end of the chip
        }
        return switch (mode) {
            case ARRAY -> storage.get(JAVA_BYTE, offset) & 0xff;
            case IDENTIFIER -> switch ((int) offset & 0xff) { // higher bits select block lock status
                case 0 -> MANUFACTURER_ID;
                case 1 -> DEVICE_ID;
                default -> 0;
            };
            case QUERY -> {
                int at = (int) offset & 0xff;
                yield at < cfi.length ? cfi[at] & 0xff : 0;
            }
            default -> status;
        };
    }

    @Override
    public synchronized void write(long offset, MemorySegment data) {
        checkOpen();
        boolean wasArray = mode == Mode.ARRAY;
        int command = data.get(JAVA_BYTE, 0) & 0xff;
        switch (mode) {
            case PROGRAM_DATA -> {
                program(offset, data);
                mode = Mode.STATUS;
            }
            case ERASE_CONFIRM -> {
                if (command == CONFIRM) {
                    erase(eraseAddress);
                    mode = Mode.STATUS;
                } else {
                    mode = Mode.ARRAY; // 0xFF cancels; anything else is a bad sequence
                }
            }
            case LOCK_CONFIRM -> {
                if (command == CONFIRM || command == LOCK_BIT) {
                    status |= STATUS_READY; // lock bits are not modelled: every block stays writable
                    mode = Mode.STATUS;
                } else {
                    mode = Mode.ARRAY;
                }
            }
            default -> command(command, offset);
        }
        boolean isArray = mode == Mode.ARRAY;
        if (isArray != wasArray) {
            listener.romd(isArray);
        }
    }

    private void command(int command, long offset) {
        mode = switch (command) {
            case READ_ARRAY, AMD_RESET, QEMU_READ_ARRAY -> Mode.ARRAY;
            case PROGRAM, PROGRAM_ALT -> Mode.PROGRAM_DATA;
            case BLOCK_ERASE -> {
                eraseAddress = offset;
                yield Mode.ERASE_CONFIRM;
            }
            case CLEAR_STATUS -> {
                status = 0;
                yield Mode.ARRAY;
            }
            case LOCK_SETUP -> Mode.LOCK_CONFIRM;
            case READ_STATUS -> Mode.STATUS;
            case READ_IDENTIFIER -> Mode.IDENTIFIER;
            case CFI_QUERY -> Mode.QUERY;
            default -> Mode.ARRAY; // QEMU: an unimplemented command returns to read array
        };
    }

    private void program(long offset, MemorySegment data) {
        if (readOnly) {
            status |= STATUS_PROGRAM_ERROR | STATUS_READY;
            return;
        }
        long length = Math.min(data.byteSize(), storage.byteSize() - offset);
        MemorySegment.copy(data, 0, storage, offset, length);
        status |= STATUS_READY;
    }

    private void erase(long address) {
        if (readOnly) {
            status |= STATUS_ERASE_ERROR | STATUS_READY;
            return;
        }
        storage.asSlice(address & -BLOCK_SIZE, BLOCK_SIZE).fill((byte) 0xff);
        status |= STATUS_READY;
    }

    /** Writes programmed and erased contents through to the disk (msync). */
    public synchronized void flush() {
        if (!closed && !readOnly) {
            storage.force();
        }
    }

    /**
     * Flushes and unmaps the contents. The guest must no longer map {@link #arrayMemory()}: delete
     * the memory slot (or the VM) first.
     */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        try {
            flush();
        } finally {
            closed = true;
            arena.close();
            try {
                lock.release();
                channel.close();
            } catch (IOException e) {
                throw new UncheckedIOException(file + ": closing the flash image", e);
            }
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException(file + ": flash is closed");
        }
    }

    @Override
    public String toString() {
        return "pflash " + file + " (" + storage.byteSize() + " bytes" + (readOnly ? ", read-only)" : ")");
    }
}
