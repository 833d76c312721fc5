package dev.vmm.devices.virtio;

import dev.vmm.devices.virtio.queue.SplitQueue;
import dev.vmm.memory.GuestMemory;
import java.util.List;

/**
 * What an activated device works with: guest memory, its queues (null where the driver left one
 * disabled), the features the driver accepted, and the transport's interrupt for a queue whose used
 * ring it filled.
 */
public interface VirtioQueues {
    GuestMemory memory();

    List<SplitQueue> queues();

    long negotiatedFeatures();

    /** Interrupts the driver for queue {@code index}, if the queue's interrupt suppression allows. */
    void usedBuffers(int index);
}
