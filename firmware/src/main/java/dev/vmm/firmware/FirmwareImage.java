package dev.vmm.firmware;

import dev.vmm.core.io.InputFile;
import dev.vmm.core.io.InputFileException;
import dev.vmm.memory.GuestAddress;
import dev.vmm.memory.GuestMemory;
import dev.vmm.memory.GuestMemoryBuilder;
import dev.vmm.memory.MemoryRegion;
import dev.vmm.memory.RamLayout;
import dev.vmm.memory.RegionKind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A flat firmware image (BIOS/UEFI code) mapped read-only so that it ends at 4 GiB, where the CPU's
 * reset vector (0xFFFFFFF0) falls into its last 16 bytes.
 */
public final class FirmwareImage {
    public static final String REGION_NAME = "firmware";
    /** The flash window below 4 GiB that x86 chipsets decode (QEMU allows 16 MiB of pflash). */
    public static final long MAX_SIZE = 16L << 20;

    private final String source;
    private final byte[] bytes;

    private FirmwareImage(String source, byte[] bytes) {
        this.source = source;
        this.bytes = bytes;
        if (bytes.length == 0 || bytes.length % GuestMemoryBuilder.PAGE_SIZE != 0 || bytes.length > MAX_SIZE) {
            throw new FirmwareException(source + ": size " + bytes.length
                    + " bytes; a firmware image must be a non-zero multiple of 4 KiB and at most 16 MiB");
        }
    }

    public static FirmwareImage of(String source, byte[] bytes) {
        return new FirmwareImage(source, bytes.clone());
    }

    /** Reads an image file; the error names the file and what is wrong with it. */
    public static FirmwareImage read(Path file) {
        try {
            return new FirmwareImage(file.toString(), InputFile.read(file, MAX_SIZE, "firmware"));
        } catch (InputFileException e) {
            throw new FirmwareException(e.getMessage());
        }
    }

    /** The embedded test guest. */
    public static FirmwareImage testGuest() {
        return new FirmwareImage(TestGuest.NAME, TestGuest.image());
    }

    public String source() {
        return source;
    }

    public int size() {
        return bytes.length;
    }

    /** Guest-physical address of the first byte. */
    public long gpa() {
        return RamLayout.FIRMWARE_END - bytes.length;
    }

    public byte[] bytes() {
        return bytes.clone();
    }

    /** Reserves the read-only region for this image. */
    public void addTo(GuestMemoryBuilder builder) {
        builder.add(REGION_NAME, gpa(), bytes.length, RegionKind.ROM);
    }

    /** Copies the image into the region reserved by {@link #addTo}. */
    public void loadInto(GuestMemory memory) {
        MemoryRegion region = memory.findRegion(GuestAddress.of(gpa()));
        if (region == null || !REGION_NAME.equals(region.name())) {
            throw new IllegalStateException("no firmware region at 0x" + Long.toHexString(gpa()));
        }
        region.load(0, bytes);
    }
}
