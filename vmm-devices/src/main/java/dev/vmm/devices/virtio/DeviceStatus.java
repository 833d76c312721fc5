package dev.vmm.devices.virtio;

import dev.vmm.core.abi.CName;

/** The device status field's bits (virtio 1.2, 2.1; linux/virtio_config.h). */
public final class DeviceStatus {
    @CName("VIRTIO_CONFIG_S_ACKNOWLEDGE") public static final int ACKNOWLEDGE = 1;
    @CName("VIRTIO_CONFIG_S_DRIVER") public static final int DRIVER = 2;
    @CName("VIRTIO_CONFIG_S_DRIVER_OK") public static final int DRIVER_OK = 4;
    @CName("VIRTIO_CONFIG_S_FEATURES_OK") public static final int FEATURES_OK = 8;
    @CName("VIRTIO_CONFIG_S_NEEDS_RESET") public static final int NEEDS_RESET = 0x40;
    @CName("VIRTIO_CONFIG_S_FAILED") public static final int FAILED = 0x80;

    private DeviceStatus() {}
}
