package dev.vmm.devices.virtio;

/**
 * A virtio device as its transport drives it (Cloud Hypervisor's VirtioDevice): what it offers, its
 * configuration space, and its queues once the driver sets DRIVER_OK. It never sees the transport, the
 * bus or KVM. {@link #activate} and {@link #reset} run on the thread that wrote the device status (a
 * vCPU); {@link #process} on the device's I/O thread; the transport serialises the three.
 */
public interface VirtioDevice {
    /** VIRTIO_ID_*: the PCI device ID is 0x1040 plus this. */
    int deviceType();

    /** For logs and messages: "virtio-blk0". */
    String name();

    /** The device-specific feature bits it offers; the transport adds the ring and version bits. */
    long features();

    /** The PCI class code (base class, subclass, programming interface). */
    int pciClass();

    /** The largest size of each queue; their number is the array's length. */
    int[] queueMaxSizes();

    /** Bytes of device-specific configuration space. */
    int configSize();

    /** A driver read of {@code size} (1, 2, 4) bytes at {@code offset} of the configuration space. */
    int readConfig(int offset, int size);

    /** A driver write; most devices' fields are read-only, so the default ignores it. */
    default void writeConfig(int offset, int size, int value) {}

    /** The driver set DRIVER_OK: the queues it enabled (null for one it did not) are ready. */
    void activate(VirtioQueues queues);

    /**
     * The driver notified queue {@code index}: take what it made available. A
     * {@link dev.vmm.devices.virtio.queue.VirtqueueViolation} puts the device in NEEDS_RESET.
     */
    void process(int index);

    /** The driver reset the device: forget the queues and any request in flight. */
    void reset();
}
