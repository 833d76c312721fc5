package dev.vmm.firmware.linux;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * Bytes a loader puts at a guest-physical address, followed by zeros up to {@code size} (an ELF
 * segment's bss), so that no heap array as large as the memory is needed. The bytes are
 * {@code length} bytes of {@code source} from {@code offset}: an ELF segment is a range of the kernel
 * file's bytes, not a copy of them (a 57 MB vmlinux would otherwise be in the heap twice).
 */
public record GuestBlob(String what, long address, byte[] source, int offset, int length, long size) {
    public GuestBlob {
        if (offset < 0 || length < 0 || offset > source.length - length) {
            throw new IllegalArgumentException(what + ": bytes " + offset + "+" + length + " outside its "
                    + source.length);
        }
        if (size < length) {
            throw new IllegalArgumentException(what + ": size " + size + " below its " + length + " bytes");
        }
    }

    public GuestBlob(String what, long address, byte[] bytes) {
        this(what, address, bytes, 0, bytes.length, bytes.length);
    }

    /** Its bytes (a copy when the blob is part of a larger array). */
    public byte[] bytes() {
        return offset == 0 && length == source.length ? source : Arrays.copyOfRange(source, offset, offset + length);
    }

    /** Copies the bytes to the start of {@code target}, which must hold at least {@code length}. */
    public void copyTo(MemorySegment target) {
        MemorySegment.copy(source, offset, target, ValueLayout.JAVA_BYTE, 0, length);
    }

    public long end() {
        return address + size;
    }
}
