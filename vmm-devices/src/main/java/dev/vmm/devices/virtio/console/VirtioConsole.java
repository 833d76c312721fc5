package dev.vmm.devices.virtio.console;

import static dev.vmm.core.abi.CStruct.packed;
import static dev.vmm.core.abi.CStruct.u16;
import static dev.vmm.core.abi.CStruct.u32;

import dev.vmm.core.abi.CName;
import dev.vmm.core.abi.CStruct;
import dev.vmm.devices.virtio.VirtioDevice;
import dev.vmm.devices.virtio.VirtioFeatures;
import dev.vmm.devices.virtio.VirtioQueues;
import dev.vmm.devices.virtio.queue.DescriptorChain;
import dev.vmm.devices.virtio.queue.SplitQueue;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.StructLayout;
import java.util.Arrays;

/**
 * virtio-console with one port (virtio 1.2, 5.3; Linux's {@code hvc0}): what the driver puts on the
 * transmit queue goes to the host's output, what the host types waits (up to {@link #INPUT_LIMIT}
 * bytes; more is dropped and counted) until the driver offers receive buffers. The emergency-write
 * register takes one byte at a time before the queues run, as early consoles use it.
 */
public final class VirtioConsole implements VirtioDevice {
    @CName("VIRTIO_ID_CONSOLE") public static final int TYPE = 3;
    @CName("VIRTIO_CONSOLE_F_EMERG_WRITE") public static final int F_EMERG_WRITE = 2;
    public static final StructLayout VIRTIO_CONSOLE_CONFIG = packed("virtio_console_config", u16("cols"), u16("rows"),
            u32("max_nr_ports"), u32("emerg_wr"));
    static final int RECEIVEQ = 0;
    static final int TRANSMITQ = 1;
    static final int QUEUE_SIZE = 64;
    static final int INPUT_LIMIT = 64 * 1024;
    private static final int MAX_NR_PORTS = (int) CStruct.offset(VIRTIO_CONSOLE_CONFIG, "max_nr_ports");
    private static final int EMERG_WR = (int) CStruct.offset(VIRTIO_CONSOLE_CONFIG, "emerg_wr");
    /** PCI class simple communication controller, other (07/80), as QEMU's virtio-serial-pci. */
    private static final int PCI_CLASS_COMMUNICATION_OTHER = 0x078000;

    private final String name;
    private final OutputStream out;
    private final Runnable wakeReceive;
    private byte[] pending = new byte[0];
    private long dropped;
    private VirtioQueues active;

    /**
     * @param out         where the guest's output goes (null: discarded)
     * @param wakeReceive asks for {@link #process} of the receive queue on the device's I/O thread
     *                    (the transport's doorbell), when input arrives from another thread
     */
    public VirtioConsole(String name, OutputStream out, Runnable wakeReceive) {
        this.name = name;
        this.out = out;
        this.wakeReceive = wakeReceive;
    }

    @Override public int deviceType() { return TYPE; }
    @Override public String name() { return name; }
    @Override public long features() { return VirtioFeatures.bit(F_EMERG_WRITE); }
    @Override public int pciClass() { return PCI_CLASS_COMMUNICATION_OTHER; }
    @Override public int[] queueMaxSizes() { return new int[] {QUEUE_SIZE, QUEUE_SIZE}; }
    @Override public int configSize() { return (int) VIRTIO_CONSOLE_CONFIG.byteSize(); }

    @Override
    public int readConfig(int offset, int size) {
        return offset == MAX_NR_PORTS && size == 4 ? 1 : 0;
    }

    @Override
    public void writeConfig(int offset, int size, int value) {
        if (offset == EMERG_WR) {
            emit(new byte[] {(byte) value});
        }
    }

    /** Host input for the guest, from any thread. */
    public void input(byte[] data, int length) {
        synchronized (this) {
            int room = INPUT_LIMIT - pending.length;
            int n = Math.min(room, length);
            dropped += length - n;
            byte[] next = Arrays.copyOf(pending, pending.length + n);
            System.arraycopy(data, 0, next, pending.length, n);
            pending = next;
        }
        wakeReceive.run();
    }

    public synchronized long droppedInput() {
        return dropped;
    }

    @Override
    public void activate(VirtioQueues queues) {
        active = queues;
        wakeReceive.run();            // input typed before the driver was ready
    }

    @Override
    public void reset() {
        active = null;
    }

    @Override
    public void process(int index) {
        if (active == null || active.queues().get(index) == null) {
            return;
        }
        SplitQueue q = active.queues().get(index);
        boolean used = index == TRANSMITQ ? transmit(q) : receive(q);
        if (used) {
            active.usedBuffers(index);
        }
    }

    private boolean transmit(SplitQueue q) {
        boolean used = false;
        for (DescriptorChain c; (c = q.pop()) != null; ) {
            byte[] data = new byte[(int) Math.min(c.readableBytes(), INPUT_LIMIT)];
            c.read(active.memory(), 0, data);
            emit(data);
            q.pushUsed(c, 0);
            used = true;
        }
        return used;
    }

    private boolean receive(SplitQueue q) {
        boolean used = false;
        while (true) {
            byte[] data;
            synchronized (this) {
                if (pending.length == 0) {
                    return used;
                }
                data = pending;
            }
            DescriptorChain c = q.pop();
            if (c == null) {
                return used;
            }
            int n = c.write(active.memory(), 0, data);
            synchronized (this) {
                pending = Arrays.copyOfRange(pending, n, pending.length);
            }
            q.pushUsed(c, n);
            used = true;
        }
    }

    private void emit(byte[] data) {
        if (out == null) {
            return;
        }
        try {
            out.write(data);
            out.flush();
        } catch (IOException e) {
            // The host's side went away (a closed pipe): the guest's output has nowhere to go.
        }
    }
}
