package dev.vmm.firmware.linux;

import java.lang.foreign.MemorySegment;

/**
 * Bytes a loader puts at a guest-physical address, followed by zeros up to {@code size} (an ELF
 * segment's bss), so that no heap array as large as the memory is needed. The bytes are
 * {@code length} bytes of {@code source} from {@code offset}: a kernel segment is a range of the kernel
 * file, read from wherever the file's bytes are (see {@link KernelBytes}), never copied on the way.
 */
public record GuestBlob(String what, long address, KernelBytes source, long offset, long length, long size) {
    public GuestBlob {
        if (offset < 0 || length < 0 || offset > source.size() - length) {
            throw new IllegalArgumentException(what + ": bytes " + offset + "+" + length + " outside its "
                    + source.size());
        }
        if (size < length) {
            throw new IllegalArgumentException(what + ": size " + size + " below its " + length + " bytes");
        }
    }

    public GuestBlob(String what, long address, byte[] bytes) {
        this(what, address, KernelBytes.of(what, bytes), 0, bytes.length, bytes.length);
    }

    /** Its bytes (a copy when the blob is part of a larger file). */
    public byte[] bytes() {
        return offset == 0 && length == source.size() && source instanceof KernelBytes.InMemory m ? m.bytes()
                : source.read(offset, Math.toIntExact(length));
    }

    /** Copies the bytes to the start of {@code target}, which must hold at least {@code length}. */
    public void copyTo(MemorySegment target) {
        source.copyTo(offset, length, target);
    }

    public long end() {
        return address + size;
    }
}
