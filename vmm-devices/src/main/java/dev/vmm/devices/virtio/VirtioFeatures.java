package dev.vmm.devices.virtio;

import dev.vmm.core.abi.CName;

/** Device-independent feature bits (virtio 1.2, 6; linux/virtio_config.h and virtio_ring.h). */
public final class VirtioFeatures {
    @CName("VIRTIO_RING_F_INDIRECT_DESC") public static final int RING_INDIRECT_DESC = 28;
    @CName("VIRTIO_RING_F_EVENT_IDX") public static final int RING_EVENT_IDX = 29;
    @CName("VIRTIO_F_VERSION_1") public static final int VERSION_1 = 32;
    /** The device reaches memory through the platform's IOMMU or, for SEV, shared pages: bounce buffers. */
    @CName("VIRTIO_F_ACCESS_PLATFORM") public static final int ACCESS_PLATFORM = 33;

    private VirtioFeatures() {}

    public static long bit(int feature) {
        return 1L << feature;
    }

    public static boolean has(long features, int feature) {
        return (features & bit(feature)) != 0;
    }
}
