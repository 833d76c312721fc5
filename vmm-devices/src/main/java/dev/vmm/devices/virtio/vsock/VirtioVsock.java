package dev.vmm.devices.virtio.vsock;

import dev.vmm.core.abi.CName;
import dev.vmm.devices.virtio.VirtioDevice;
import dev.vmm.devices.virtio.VirtioQueues;
import dev.vmm.devices.virtio.queue.DescriptorChain;
import dev.vmm.devices.virtio.queue.SplitQueue;

/**
 * virtio-vsock (virtio 1.2, 5.10), stream sockets only: the guest's packets from the transmit queue
 * go to the {@link Backend}, which keeps the connections; its packets for the guest go into receive
 * buffers. The device checks what comes from the guest: a header that is all there, a payload no
 * longer than its chain or than {@link #MAX_PAYLOAD}, from the guest's own CID to the host's. Other
 * packets are dropped and counted ({@link #packetsDropped}); the event queue's buffers are kept, as no
 * event (a transport reset after migration) ever happens here.
 */
public final class VirtioVsock implements VirtioDevice {
    /** The host side: connections, their sockets and their credit. Called on the device's I/O thread. */
    public interface Backend {
        /** A packet from the guest, already checked (its CIDs, its length). */
        void send(VsockPacket packet);

        /** Whether a packet waits for the guest. */
        boolean pending();

        /**
         * Whether so many answers wait for receive buffers that the guest's next packets must wait too
         * (vhost's back-pressure): a guest that sends without receiving cannot fill the host's memory.
         */
        boolean backlogged();

        /** The next packet for the guest, with at most {@code maxData} bytes of payload; null if none. */
        VsockPacket poll(int maxData);

        /** The driver reset the device: every connection is gone. May run on another thread. */
        void reset();
    }

    @CName("VIRTIO_ID_VSOCK") public static final int TYPE = 19;
    public static final int RXQ = 0;
    public static final int TXQ = 1;
    public static final int EVENTQ = 2;
    static final int QUEUE_SIZE = 256;
    /** Linux's VIRTIO_VSOCK_MAX_PKT_BUF_SIZE (kernel-internal): no packet carries more. */
    public static final int MAX_PAYLOAD = 64 * 1024;
    /** The first CID a guest may have: 0, 1 and 2 are the hypervisor, the local host and the host. */
    public static final long FIRST_GUEST_CID = 3;
    /** CIDs are 32 bits in Linux's sockaddr_vm, and 0xFFFFFFFF is VMADDR_CID_ANY. */
    public static final long LAST_GUEST_CID = 0xFFFF_FFFEL;
    private static final int PCI_CLASS_COMMUNICATION_OTHER = 0x078000;

    private final String name;
    private final long guestCid;
    private final Backend backend;
    private final Runnable wakeReceive;
    private VirtioQueues active;
    /** A receive buffer taken while the backend had nothing after all; used first next time. */
    private DescriptorChain spare;
    private long sent;
    private long received;
    private long dropped;

    /**
     * @param wakeReceive asks for {@link #process} of the receive queue on the I/O thread (the
     *                    transport's doorbell): packets may wait from before the driver was ready
     */
    public VirtioVsock(String name, long guestCid, Backend backend, Runnable wakeReceive) {
        if (guestCid < FIRST_GUEST_CID || guestCid > LAST_GUEST_CID) {
            throw new IllegalArgumentException(name + ": guest CID " + guestCid + " is not in " + FIRST_GUEST_CID + ".."
                    + LAST_GUEST_CID);
        }
        this.name = name;
        this.guestCid = guestCid;
        this.backend = backend;
        this.wakeReceive = wakeReceive;
    }

    @Override public int deviceType() { return TYPE; }
    @Override public String name() { return name; }
    @Override public long features() { return 0; }
    @Override public int pciClass() { return PCI_CLASS_COMMUNICATION_OTHER; }
    @Override public int[] queueMaxSizes() { return new int[] {QUEUE_SIZE, QUEUE_SIZE, QUEUE_SIZE}; }
    /** struct virtio_vsock_config: the 64-bit guest_cid. */
    @Override public int configSize() { return 8; }

    @Override
    public int readConfig(int offset, int size) {
        long v = guestCid >>> (8 * offset);
        return size == 4 ? (int) v : (int) (v & ((1L << (8 * size)) - 1));
    }

    public long guestCid() {
        return guestCid;
    }

    public synchronized long packetsSent() {
        return sent;
    }

    public synchronized long packetsReceived() {
        return received;
    }

    /** Packets from the guest that broke the rules (and receive buffers too small for a header). */
    public synchronized long packetsDropped() {
        return dropped;
    }

    @Override
    public synchronized void activate(VirtioQueues queues) {
        active = queues;
        wakeReceive.run();
    }

    @Override
    public synchronized void reset() {
        active = null;
        spare = null;
        backend.reset();
    }

    @Override
    public synchronized void process(int index) {
        if (active == null || active.queues().get(index) == null) {
            return;
        }
        if (index == EVENTQ) {
            return;
        }
        // The guest's packets may call for answers (RESPONSE, RST, credit), and answers waiting for receive
        // buffers hold the guest's next packets back: serve both queues until neither moves.
        SplitQueue tx = active.queues().get(TXQ);
        SplitQueue rx = active.queues().get(RXQ);
        boolean moved = true;
        while (moved) {
            boolean took = tx != null && transmit(tx);
            boolean gave = rx != null && receive(rx);
            moved = took || gave && tx != null && !backend.backlogged();
        }
    }

    /** Takes the guest's packets while the backend can answer them; whether it took any. */
    private boolean transmit(SplitQueue q) {
        boolean used = false;
        for (DescriptorChain c; !backend.backlogged() && (c = q.pop()) != null; ) {
            VsockPacket p = read(c);
            q.pushUsed(c, 0);
            used = true;
            if (p == null) {
                dropped++;
            } else {
                received++;
                backend.send(p);
            }
        }
        if (used) {
            active.usedBuffers(TXQ);
        }
        return used;
    }

    /** The chain's packet, or null if it breaks the rules. */
    private VsockPacket read(DescriptorChain c) {
        if (c.readableBytes() < VsockPacket.HEADER) {
            return null;
        }
        byte[] header = new byte[VsockPacket.HEADER];
        c.read(active.memory(), 0, header);
        long length = VsockPacket.length(header);
        if (length > MAX_PAYLOAD || length > c.readableBytes() - VsockPacket.HEADER) {
            return null;
        }
        byte[] data = new byte[(int) length];
        c.read(active.memory(), VsockPacket.HEADER, data);
        VsockPacket p = VsockPacket.decode(header, data);
        return p.srcCid() == guestCid && p.dstCid() == VsockPacket.CID_HOST ? p : null;
    }

    /** Fills receive buffers with what the backend has; whether it filled any. */
    private boolean receive(SplitQueue q) {
        boolean used = false;
        while (backend.pending()) {
            DescriptorChain c = spare != null ? spare : q.pop();
            spare = null;
            if (c == null) {
                break;                      // the guest's next buffers notify this queue
            }
            long room = c.writableBytes() - VsockPacket.HEADER;
            if (room < 0) {
                dropped++;
                q.pushUsed(c, 0);
                used = true;
                continue;
            }
            VsockPacket p = backend.poll((int) Math.min(room, MAX_PAYLOAD));
            if (p == null) {
                spare = c;
                break;
            }
            c.write(active.memory(), 0, p.header());
            if (p.data().length > 0) {
                c.write(active.memory(), VsockPacket.HEADER, p.data());
            }
            q.pushUsed(c, VsockPacket.HEADER + p.data().length);
            sent++;
            used = true;
        }
        if (used) {
            active.usedBuffers(RXQ);
        }
        return used;
    }
}
