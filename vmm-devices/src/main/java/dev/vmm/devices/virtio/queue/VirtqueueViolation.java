package dev.vmm.devices.virtio.queue;

/**
 * The driver broke the virtqueue's rules: a descriptor outside guest RAM, a loop, an index beyond the
 * queue, an indirect table inside an indirect table. The device stops using the queue and asks for a
 * reset (DEVICE_NEEDS_RESET); the VMM goes on. The message names the queue, the field and the value.
 */
public final class VirtqueueViolation extends RuntimeException {
    public VirtqueueViolation(String message) {
        super(message);
    }
}
