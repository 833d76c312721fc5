package dev.vmm.devices.virtio;

/** A device's configuration space as bytes, read as the driver reads it: 1, 2 or 4 bytes, little-endian. */
public final class DeviceConfig {
    private DeviceConfig() {}

    /** The transport has checked that {@code [offset, offset + size)} lies inside {@code config}. */
    public static int read(byte[] config, int offset, int size) {
        int v = 0;
        for (int i = size - 1; i >= 0; i--) {
            v = v << 8 | (config[offset + i] & 0xff);
        }
        return v;
    }
}
