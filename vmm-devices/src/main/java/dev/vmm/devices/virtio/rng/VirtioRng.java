package dev.vmm.devices.virtio.rng;

import dev.vmm.core.abi.CName;
import dev.vmm.devices.virtio.VirtioDevice;
import dev.vmm.devices.virtio.VirtioQueues;
import dev.vmm.devices.virtio.queue.DescriptorChain;
import dev.vmm.devices.virtio.queue.SplitQueue;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;

/**
 * virtio-rng (virtio 1.2, 5.4): one request queue; each request's writable buffers are filled with
 * bytes from the host's non-blocking kernel generator (getrandom / /dev/urandom), at most
 * {@link #MAX_REQUEST} per request so that one huge buffer cannot hold the I/O thread.
 */
public final class VirtioRng implements VirtioDevice {
    @CName("VIRTIO_ID_RNG") public static final int TYPE = 4;
    public static final int QUEUE_SIZE = 256;
    static final int MAX_REQUEST = 64 * 1024;
    /** PCI class "other" (0xff), as QEMU's virtio-rng-pci. */
    private static final int PCI_CLASS_OTHERS = 0xff0000;

    private final String name;
    private final SecureRandom random;
    private VirtioQueues active;
    private long bytesGiven;

    public VirtioRng(String name) {
        this.name = name;
        try {
            this.random = SecureRandom.getInstance("NativePRNGNonBlocking");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no NativePRNGNonBlocking (/dev/urandom)", e);
        }
    }

    @Override public int deviceType() { return TYPE; }
    @Override public String name() { return name; }
    @Override public long features() { return 0; }
    @Override public int pciClass() { return PCI_CLASS_OTHERS; }
    @Override public int[] queueMaxSizes() { return new int[] {QUEUE_SIZE}; }
    @Override public int configSize() { return 0; }
    @Override public int readConfig(int offset, int size) { return 0; }

    @Override
    public void activate(VirtioQueues queues) {
        active = queues;
    }

    @Override
    public void process(int index) {
        SplitQueue q = active.queues().get(index);
        boolean used = false;
        for (DescriptorChain c; (c = q.pop()) != null; ) {
            byte[] bytes = new byte[(int) Math.min(c.writableBytes(), MAX_REQUEST)];
            random.nextBytes(bytes);
            int n = c.write(active.memory(), 0, bytes);
            bytesGiven += n;
            q.pushUsed(c, n);
            used = true;
        }
        if (used) {
            active.usedBuffers(index);
        }
    }

    public long bytesGiven() {
        return bytesGiven;
    }

    @Override
    public void reset() {
        active = null;
    }
}
