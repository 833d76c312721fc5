package dev.vmm.devices.virtio.net;

import static dev.vmm.core.abi.CStruct.bytes;
import static dev.vmm.core.abi.CStruct.packed;
import static dev.vmm.core.abi.CStruct.struct;
import static dev.vmm.core.abi.CStruct.u16;
import static dev.vmm.core.abi.CStruct.u32;
import static dev.vmm.core.abi.CStruct.u8;

import dev.vmm.core.abi.CName;
import dev.vmm.core.abi.CStruct;
import dev.vmm.devices.virtio.DeviceConfig;
import dev.vmm.devices.virtio.VirtioDevice;
import dev.vmm.devices.virtio.VirtioFeatures;
import dev.vmm.devices.virtio.VirtioQueues;
import dev.vmm.devices.virtio.queue.DescriptorChain;
import dev.vmm.devices.virtio.queue.SplitQueue;
import java.lang.foreign.StructLayout;
import java.util.Arrays;

/**
 * virtio-net with one queue pair and no offloads (virtio 1.2, 5.1): each transmitted chain is a
 * 12-byte virtio_net_hdr_v1 and one Ethernet frame, sent to the {@link Backend}; each frame the backend
 * has is written, after a zero header, into one receive buffer. A frame that arrives while the driver
 * has no receive buffer waits (the backend is not read again until one comes: {@link #rxStalled()});
 * a frame larger than the buffer or than {@link #MAX_FRAME} is dropped and counted.
 */
public final class VirtioNet implements VirtioDevice {
    /** Where frames go and come from: a TAP device or a datagram socket; never blocks. */
    public interface Backend {
        /** One waiting frame into {@code frame}: its length, or -1 if none waits. */
        int receive(byte[] frame);

        /** Sends one frame; false if it was dropped. */
        boolean send(byte[] frame, int length);
    }

    @CName("VIRTIO_ID_NET") public static final int TYPE = 1;
    @CName("VIRTIO_NET_F_MAC") public static final int F_MAC = 5;
    @CName("VIRTIO_NET_F_STATUS") public static final int F_STATUS = 16;
    @CName("VIRTIO_NET_S_LINK_UP") public static final int S_LINK_UP = 1;
    public static final StructLayout VIRTIO_NET_CONFIG = packed("virtio_net_config", bytes("mac", 6), u16("status"),
            u16("max_virtqueue_pairs"), u16("mtu"), u32("speed"), u8("duplex"), u8("rss_max_key_size"),
            u16("rss_max_indirection_table_length"), u32("supported_hash_types"));
    public static final StructLayout VIRTIO_NET_HDR_V1 = struct("virtio_net_hdr_v1", u8("flags"), u8("gso_type"),
            u16("hdr_len"), u16("gso_size"), u16("csum_start"), u16("csum_offset"), u16("num_buffers"));
    public static final int RXQ = 0;
    public static final int TXQ = 1;
    static final int QUEUE_SIZE = 256;
    /** The largest frame without offloads: 64 KiB plus the Ethernet and VLAN headers. */
    public static final int MAX_FRAME = 65536 + 18;
    static final int HEADER = (int) VIRTIO_NET_HDR_V1.byteSize();
    private static final int NUM_BUFFERS = (int) CStruct.offset(VIRTIO_NET_HDR_V1, "num_buffers");
    private static final int STATUS = (int) CStruct.offset(VIRTIO_NET_CONFIG, "status");
    private static final int PCI_CLASS_NETWORK_ETHERNET = 0x020000;

    private final String name;
    private final byte[] config = new byte[(int) VIRTIO_NET_CONFIG.byteSize()];
    private final Backend backend;
    private final byte[] frame = new byte[MAX_FRAME];
    private int held = -1;               // the length of a frame in {@code frame} that waits for a buffer
    private VirtioQueues active;
    private long sent;
    private long received;
    private long dropped;

    public VirtioNet(String name, byte[] mac, Backend backend) {
        if (mac.length != 6) {
            throw new IllegalArgumentException(name + ": a MAC address has 6 bytes");
        }
        this.name = name;
        this.backend = backend;
        System.arraycopy(mac, 0, config, 0, 6);
        config[STATUS] = S_LINK_UP;
    }

    @Override public int deviceType() { return TYPE; }
    @Override public String name() { return name; }
    @Override public long features() { return VirtioFeatures.bit(F_MAC) | VirtioFeatures.bit(F_STATUS); }
    @Override public int pciClass() { return PCI_CLASS_NETWORK_ETHERNET; }
    @Override public int[] queueMaxSizes() { return new int[] {QUEUE_SIZE, QUEUE_SIZE}; }
    @Override public int configSize() { return config.length; }

    @Override
    public int readConfig(int offset, int size) {
        return DeviceConfig.read(config, offset, size);
    }

    @Override
    public void activate(VirtioQueues queues) {
        active = queues;
    }

    @Override
    public void reset() {
        active = null;
        held = -1;
    }

    /** True while the device cannot take a frame: not running, or one waits for a receive buffer. */
    public boolean rxStalled() {
        return active == null || active.queues().get(RXQ) == null || held >= 0;
    }

    public long framesSent() {
        return sent;
    }

    public long framesReceived() {
        return received;
    }

    public long framesDropped() {
        return dropped;
    }

    @Override
    public void process(int index) {
        if (active == null || active.queues().get(index) == null) {
            return;
        }
        if (index == TXQ) {
            transmit(active.queues().get(TXQ));
        } else if (index == RXQ) {
            receive(active.queues().get(RXQ));
        }
    }

    private void transmit(SplitQueue q) {
        boolean used = false;
        for (DescriptorChain c; (c = q.pop()) != null; ) {
            long length = c.readableBytes() - HEADER;
            if (length <= 0 || length > MAX_FRAME) {
                dropped++;
            } else {
                byte[] out = new byte[(int) length];
                c.read(active.memory(), HEADER, out);
                if (backend.send(out, out.length)) {
                    sent++;
                } else {
                    dropped++;
                }
            }
            q.pushUsed(c, 0);
            used = true;
        }
        if (used) {
            active.usedBuffers(TXQ);
        }
    }

    private void receive(SplitQueue q) {
        boolean used = false;
        while (true) {
            int length = held >= 0 ? held : backend.receive(frame);
            if (length < 0) {
                break;
            }
            DescriptorChain c = q.pop();
            if (c == null) {
                held = length;               // wait for the driver's next buffer
                break;
            }
            held = -1;
            if (c.writableBytes() < HEADER + (long) length) {
                dropped++;
                q.pushUsed(c, 0);
            } else {
                byte[] header = new byte[HEADER];
                header[NUM_BUFFERS] = 1;
                c.write(active.memory(), 0, header);
                c.write(active.memory(), HEADER, length == frame.length ? frame : Arrays.copyOf(frame, length));
                q.pushUsed(c, HEADER + length);
                received++;
            }
            used = true;
        }
        if (used) {
            active.usedBuffers(RXQ);
        }
    }
}
