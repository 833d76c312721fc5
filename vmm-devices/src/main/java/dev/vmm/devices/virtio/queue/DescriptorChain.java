package dev.vmm.devices.virtio.queue;

import dev.vmm.memory.GuestAddress;
import dev.vmm.memory.GuestMemory;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One request the driver made available: the head index to return in the used ring, and its buffers,
 * the device-readable ones first, then the device-writable ones (the order the spec requires), each
 * already checked to lie inside guest RAM. Reads and writes go through {@link GuestMemory} only.
 */
public record DescriptorChain(int head, List<Buffer> readable, List<Buffer> writable) {
    /** One descriptor's buffer: {@code [address, address + length)} of guest RAM. */
    public record Buffer(GuestAddress address, int length) {
        public long size() {
            return Integer.toUnsignedLong(length);
        }
    }

    public DescriptorChain {
        readable = List.copyOf(readable);
        writable = List.copyOf(writable);
    }

    public long readableBytes() {
        return readable.stream().mapToLong(Buffer::size).sum();
    }

    public long writableBytes() {
        return writable.stream().mapToLong(Buffer::size).sum();
    }

    /**
     * Up to {@code dst.length} bytes of the readable buffers from byte {@code offset} of the chain's
     * readable part, concatenated; returns how many were read.
     */
    public int read(GuestMemory memory, long offset, byte[] dst) {
        return copy(memory, readable, offset, dst, false);
    }

    /** Writes {@code src} into the writable buffers from byte {@code offset}; returns how many fit. */
    public int write(GuestMemory memory, long offset, byte[] src) {
        return copy(memory, writable, offset, src, true);
    }

    /**
     * The guest memory of {@code length} bytes of the writable buffers from byte {@code offset}, as
     * bounds-checked segments, for I/O straight into the guest (a disk read) without a copy.
     */
    public List<MemorySegment> writableSegments(GuestMemory memory, long offset, long length) {
        return segments(memory, writable, offset, length, true);
    }

    /** As {@link #writableSegments}, of the readable buffers (a disk write straight from the guest). */
    public List<MemorySegment> readableSegments(GuestMemory memory, long offset, long length) {
        return segments(memory, readable, offset, length, false);
    }

    private static List<MemorySegment> segments(GuestMemory memory, List<Buffer> buffers, long offset,
                                                                  long length, boolean write) {
        List<MemorySegment> out = new ArrayList<>();
        long skip = offset;
        long left = length;
        for (Buffer b : buffers) {
            if (left == 0) {
                break;
            }
            if (skip >= b.size()) {
                skip -= b.size();
                continue;
            }
            long n = Math.min(b.size() - skip, left);
            GuestAddress at = b.address().plus(skip);
            out.add(write ? memory.writableSlice(at, n) : memory.slice(at, n));
            left -= n;
            skip = 0;
        }
        return out;
    }

    private static int copy(GuestMemory memory, List<Buffer> buffers, long offset, byte[] data, boolean toGuest) {
        int done = 0;
        long skip = offset;
        for (Buffer b : buffers) {
            if (done == data.length) {
                break;
            }
            if (skip >= b.size()) {
                skip -= b.size();
                continue;
            }
            int n = (int) Math.min(b.size() - skip, data.length - done);
            GuestAddress at = b.address().plus(skip);
            if (toGuest) {
                byte[] part = done == 0 && n == data.length ? data : Arrays.copyOfRange(data, done, done + n);
                memory.write(at, part);
            } else {
                byte[] part = memory.read(at, n);
                System.arraycopy(part, 0, data, done, n);
            }
            done += n;
            skip = 0;
        }
        return done;
    }
}
