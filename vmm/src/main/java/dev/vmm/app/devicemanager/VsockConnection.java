package dev.vmm.app.devicemanager;

import dev.vmm.core.sys.UnixStream;
import dev.vmm.devices.virtio.vsock.VsockPacket;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;

/**
 * One stream between a guest port and a host Unix socket, and its credit both ways (virtio 1.2,
 * 5.10.6.3): the guest may have at most {@link #BUF_ALLOC} bytes on their way to the host socket, and
 * the host sends no more than the guest's {@code buf_alloc} minus what the guest has not yet consumed.
 * Counters wrap as the spec's 32-bit ones do.
 */
final class VsockConnection {
    /** What the host side buffers per connection: the credit the guest gets. */
    static final int BUF_ALLOC = 256 * 1024;
    /** A credit update goes out once the guest's view of our free space falls below this. */
    static final int CREDIT_LOW = BUF_ALLOC / 2;
    /** Payloads shorter than this are appended to the last chunk, while it stays under {@link #MERGE_LIMIT}. */
    private static final int MERGE = 4096;
    private static final int MERGE_LIMIT = 64 * 1024;

    enum State {
        /** The host connected and asked for a guest port: REQUEST sent, the guest's RESPONSE awaited. */
        CONNECTING,
        ESTABLISHED,
        /** The host closed its side: SHUTDOWN sent, the guest's RST awaited. */
        CLOSING,
        /** The guest closed (RST sent) with bytes still for the host program: written, then closed. */
        LINGERING
    }

    final long guestCid;
    final int localPort;
    final int peerPort;
    final UnixStream stream;
    State state;
    boolean readable;            // the host socket has bytes (or its end) the guest has not had
    boolean waitingForCredit;    // the guest's buffer is full: the host socket is not read
    boolean peerShutdownSend;    // the guest sends no more: the host socket is shut for writing once flushed
    boolean hostShutSend;        // the host program shut its writing side: nothing more to read
    boolean creditUpdateQueued;  // a CREDIT_UPDATE waits to go; a second request adds none
    int interest;                // what the loop watches on the stream
    boolean registered;          // on the loop; not once the host hung up (epoll would report it forever)
    final boolean hostInitiated; // its local port was allocated here
    private int peerBufAlloc;
    private int peerFwdCnt;
    private int txCnt;           // payload bytes sent to the guest
    private int rxCnt;           // payload bytes received from the guest
    private int fwdCnt;          // of those, written to the host socket
    private int lastFwdCntSent;
    private final ArrayDeque<byte[]> out = new ArrayDeque<>();
    private int outHead;         // bytes of out's first chunk already written
    private int outBytes;
    private int uncredited;      // bytes at the head of out that are ours, not the guest's

    VsockConnection(long guestCid, int localPort, int peerPort, UnixStream stream, State state) {
        this.hostInitiated = state == State.CONNECTING;
        this.guestCid = guestCid;
        this.localPort = localPort;
        this.peerPort = peerPort;
        this.stream = stream;
        this.state = state;
    }

    static long key(int localPort, int peerPort) {
        return (long) localPort << 32 | Integer.toUnsignedLong(peerPort);
    }

    long key() {
        return key(localPort, peerPort);
    }

    /** The guest's credit as every packet from it carries it. */
    void credit(VsockPacket p) {
        peerBufAlloc = p.bufAlloc();
        peerFwdCnt = p.fwdCnt();
    }

    /** Bytes the guest can take now. */
    int peerFree() {
        long free = Integer.toUnsignedLong(peerBufAlloc) - Integer.toUnsignedLong(txCnt - peerFwdCnt);
        return (int) Math.max(0, Math.min(free, Integer.MAX_VALUE));
    }

    /** A packet to the guest on this connection, carrying our credit. */
    VsockPacket packet(int op, int flags, byte[] data) {
        lastFwdCntSent = fwdCnt;
        txCnt += data == null ? 0 : data.length;
        return new VsockPacket(VsockPacket.CID_HOST, guestCid, localPort, peerPort, VsockPacket.TYPE_STREAM, op, flags,
                BUF_ALLOC, fwdCnt, data);
    }

    /** Queues the guest's payload for the host socket; false if the guest overran its credit. */
    boolean queue(byte[] data) {
        rxCnt += data.length;
        if (outBytes - uncredited + (long) data.length > BUF_ALLOC) {
            return false;
        }
        if (data.length == 0) {
            return true;
        }
        byte[] last = out.peekLast();
        if (last != null && data.length < MERGE && last.length + data.length <= MERGE_LIMIT) {
            // Small packets share a chunk: the credit counts payload, and a byte[] per byte would not.
            byte[] merged = java.util.Arrays.copyOf(last, last.length + data.length);
            System.arraycopy(data, 0, merged, last.length, data.length);
            out.pollLast();
            out.add(merged);
        } else {
            out.add(data);
        }
        outBytes += data.length;
        return true;
    }

    /** Queues bytes of our own (the "OK port" line, before any of the guest's): they use no credit. */
    void queueLocal(byte[] line) {
        out.add(line);
        outBytes += line.length;
        uncredited += line.length;
    }

    boolean hasOutput() {
        return outBytes > 0;
    }

    /** Writes what it can through {@code scratch} (native memory); the socket refusing more is not an error. */
    void flush(MemorySegment scratch) {
        while (!out.isEmpty()) {
            byte[] chunk = out.peek();
            int n = (int) Math.min(chunk.length - outHead, scratch.byteSize());
            MemorySegment.copy(chunk, outHead, scratch, ValueLayout.JAVA_BYTE, 0, n);
            long written = stream.write(scratch.asSlice(0, n));
            if (written == 0) {
                return;
            }
            outHead += (int) written;
            outBytes -= (int) written;
            int ours = (int) Math.min(written, uncredited);
            uncredited -= ours;
            fwdCnt += (int) written - ours;
            if (outHead == chunk.length) {
                out.poll();
                outHead = 0;
            }
        }
    }

    /** Whether the guest should hear of the space we made: its view of our free space is low. */
    boolean creditUpdateDue() {
        long guestView = BUF_ALLOC - Integer.toUnsignedLong(rxCnt - lastFwdCntSent);
        return fwdCnt != lastFwdCntSent && guestView < CREDIT_LOW;
    }

    @Override
    public String toString() {
        return "vsock " + guestCid + ":" + Integer.toUnsignedString(peerPort) + " <-> host port "
                + Integer.toUnsignedString(localPort);
    }
}
