package dev.vmm.devices.acpi;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs an {@code etc/table-loader} script the way edk2 2022.11 OvmfPkg/AcpiPlatformDxe/QemuFwCfgAcpi.c
 * does, against fw_cfg files given as a map, in a fake guest memory. It parses the raw commands itself
 * (no code shared with the builder) and applies OVMF's checks, failing where OVMF would return
 * EFI_PROTOCOL_ERROR or EFI_UNSUPPORTED.
 *
 * <p>First pass: ALLOCATE, ADD_POINTER, ADD_CHECKSUM in order. Blobs that some ADD_POINTER narrower than
 * 8 bytes points into are placed below 4 GiB; the others are placed above 4 GiB, which OVMF may do too
 * (AllocateMaxAddress MAX_UINT64). Second pass: for each ADD_POINTER, in order, the target address is
 * "installed" if it is new and looks like a FACS or an ACPI table with a valid checksum, unless it is an
 * RSDT or XSDT.
 */
final class LoaderInterpreter {
    static final long LOW_BASE = 0x7f00_0000L;
    static final long HIGH_BASE = 0x1_8000_0000L;
    private static final int PAGE = 4096;

    /** A blob copied into memory. */
    record Blob(String file, long address, byte[] data) {
        boolean contains(long a) {
            return a >= address && a < address + data.length;
        }
    }

    /** A table the firmware would hand to InstallAcpiTable. */
    record Installed(String signature, long address, int length) {}

    private final Map<String, byte[]> files;
    private final Map<String, Blob> blobs = new LinkedHashMap<>();
    private final List<Installed> installed = new ArrayList<>();
    private long nextLow = LOW_BASE;
    private long nextHigh = HIGH_BASE;

    private LoaderInterpreter(Map<String, byte[]> files) {
        this.files = files;
    }

    static LoaderInterpreter run(Map<String, byte[]> files) {
        LoaderInterpreter l = new LoaderInterpreter(files);
        l.execute(files.get("etc/table-loader"));
        return l;
    }

    Map<String, Blob> blobs() {
        return blobs;
    }

    List<Installed> installed() {
        return installed;
    }

    /** The blob holding {@code address}. */
    Blob blobAt(long address) {
        return blobs.values().stream().filter(b -> b.contains(address)).findFirst()
                .orElseThrow(() -> new AssertionError(String.format("address 0x%x is in no blob", address)));
    }

    /** {@code length} bytes of memory at {@code address}, which must lie within one blob. */
    byte[] read(long address, int length) {
        Blob b = blobAt(address);
        int offset = (int) (address - b.address());
        if (offset + length > b.data().length) {
            throw new AssertionError(String.format("0x%x+%d runs past blob %s", address, length, b.file()));
        }
        byte[] out = new byte[length];
        System.arraycopy(b.data(), offset, out, 0, length);
        return out;
    }

    /** The ACPI table (or FACS) at {@code address}, as long as its length field says. */
    byte[] table(long address) {
        int length = ByteBuffer.wrap(read(address, 8)).order(ByteOrder.LITTLE_ENDIAN).getInt(4);
        return read(address, length);
    }

    private void execute(byte[] script) {
        if (script == null || script.length % 128 != 0) {
            throw new AssertionError("etc/table-loader missing or not a multiple of 128 bytes");
        }
        List<ByteBuffer> commands = new ArrayList<>();
        for (int i = 0; i < script.length; i += 128) {
            commands.add(ByteBuffer.wrap(script, i, 128).slice().order(ByteOrder.LITTLE_ENDIAN));
        }
        Set<String> restricted = new HashSet<>();
        for (ByteBuffer c : commands) {
            if (c.getInt(0) == 2 && (c.get(4 + 56 + 56 + 4) & 0xff) < 8) {
                restricted.add(name(c, 4 + 56));
            }
        }
        for (ByteBuffer c : commands) {
            switch (c.getInt(0)) {
                case 1 -> allocate(name(c, 4), c.getInt(4 + 56), restricted);
                case 2 -> addPointer(name(c, 4), name(c, 60), c.getInt(116) & 0xffff_ffffL, c.get(120) & 0xff);
                case 3 -> addChecksum(name(c, 4), c.getInt(60) & 0xffff_ffffL, c.getInt(64) & 0xffff_ffffL,
                        c.getInt(68) & 0xffff_ffffL);
                default -> { } // OVMF skips unknown commands
            }
        }
        Set<Long> seen = new HashSet<>();
        for (ByteBuffer c : commands) {
            if (c.getInt(0) == 2) {
                secondPass(name(c, 4), name(c, 60), c.getInt(116), c.get(120) & 0xff, seen);
            }
        }
    }

    private static String name(ByteBuffer c, int at) {
        byte[] raw = new byte[56];
        c.get(at, raw);
        if (raw[55] != 0) {
            throw new AssertionError("malformed file name (no NUL in 56 bytes)");
        }
        int end = 0;
        while (raw[end] != 0) {
            end++;
        }
        return new String(raw, 0, end, StandardCharsets.US_ASCII);
    }

    private void allocate(String file, int alignment, Set<String> restricted) {
        if (Integer.toUnsignedLong(alignment) > PAGE) {
            throw new AssertionError("unsupported alignment " + alignment);
        }
        byte[] data = files.get(file);
        if (data == null) {
            throw new AssertionError("ALLOCATE of unknown fw_cfg file " + file);
        }
        if (blobs.containsKey(file)) {
            throw new AssertionError("duplicated file " + file);
        }
        long pages = (data.length + PAGE - 1) / PAGE;
        long address;
        if (restricted.contains(file)) {
            address = nextLow;
            nextLow += (pages + 1) * PAGE;
        } else {
            address = nextHigh;
            nextHigh += (pages + 1) * PAGE;
        }
        blobs.put(file, new Blob(file, address, data.clone()));
    }

    private Blob blob(String file) {
        Blob b = blobs.get(file);
        if (b == null) {
            throw new AssertionError("command refers to " + file + " before its ALLOCATE");
        }
        return b;
    }

    private void addPointer(String pointerFile, String pointeeFile, long offset, int size) {
        Blob pointer = blob(pointerFile);
        Blob pointee = blob(pointeeFile);
        if ((size != 1 && size != 2 && size != 4 && size != 8) || pointer.data().length < size
                || pointer.data().length - size < offset) {
            throw new AssertionError("invalid pointer location or size in " + pointerFile);
        }
        ByteBuffer field = ByteBuffer.wrap(pointer.data()).order(ByteOrder.LITTLE_ENDIAN);
        long value = 0;
        for (int i = 0; i < size; i++) {
            value |= (pointer.data()[(int) offset + i] & 0xffL) << 8 * i;
        }
        if (Long.compareUnsigned(value, pointee.data().length) >= 0) {
            throw new AssertionError(String.format("invalid pointer value 0x%x in %s at %d", value, pointerFile, offset));
        }
        value += pointee.address();
        if (size < 8 && value >>> 8 * size != 0) {
            throw new AssertionError("relocated pointer value unrepresentable in " + pointerFile);
        }
        for (int i = 0; i < size; i++) {
            field.put((int) offset + i, (byte) (value >>> 8 * i));
        }
    }

    private void addChecksum(String file, long resultOffset, long start, long length) {
        Blob b = blob(file);
        int size = b.data().length;
        if (size <= resultOffset || size < length || size - length < start) {
            throw new AssertionError("invalid checksum range in " + file);
        }
        int sum = 0;
        for (long i = start; i < start + length; i++) {
            sum += b.data()[(int) i];
        }
        b.data()[(int) resultOffset] = (byte) -sum; // CalculateCheckSum8: includes the old result byte
    }

    private void secondPass(String pointerFile, String pointeeFile, int offset, int size, Set<Long> seen) {
        Blob pointer = blobs.get(pointerFile);
        Blob pointee = blobs.get(pointeeFile);
        long value = 0;
        for (int i = 0; i < size; i++) {
            value |= (pointer.data()[offset + i] & 0xffL) << 8 * i;
        }
        if (!seen.add(value)) {
            return;
        }
        long remaining = pointee.address() + pointee.data().length - value;
        ByteBuffer at = ByteBuffer.wrap(pointee.data()).order(ByteOrder.LITTLE_ENDIAN);
        int o = (int) (value - pointee.address());
        if (remaining >= 64) { // sizeof (EFI_ACPI_1_0_FIRMWARE_ACPI_CONTROL_STRUCTURE)
            long facsLength = at.getInt(o + 4) & 0xffff_ffffL;
            if (signature(pointee.data(), o).equals("FACS") && facsLength >= 64 && facsLength <= remaining) {
                installed.add(new Installed("FACS", value, (int) facsLength));
                return;
            }
        }
        if (remaining >= 36) {
            long length = at.getInt(o + 4) & 0xffff_ffffL;
            if (length >= 36 && length <= remaining && sum(pointee.data(), o, (int) length) == 0) {
                String signature = signature(pointee.data(), o);
                if (!signature.equals("RSDT") && !signature.equals("XSDT")) {
                    installed.add(new Installed(signature, value, (int) length));
                }
                return;
            }
        }
        throw new AssertionError(String.format(
                "pointer target 0x%x in %s is not an ACPI table (OVMF would mark the blob opaque)", value, pointeeFile));
    }

    private static String signature(byte[] data, int offset) {
        return new String(data, offset, 4, StandardCharsets.US_ASCII);
    }

    /** The 8-bit sum of {@code data[offset, offset + length)}. */
    static int sum(byte[] data, int offset, int length) {
        int s = 0;
        for (int i = offset; i < offset + length; i++) {
            s += data[i];
        }
        return s & 0xff;
    }
}
