package dev.vmm.devices.virtio.pci;

import dev.vmm.devices.virtio.DeviceStatus;
import dev.vmm.devices.virtio.RingWriter;
import dev.vmm.devices.virtio.VirtioDevice;
import dev.vmm.devices.virtio.VirtioFeatures;
import dev.vmm.devices.bus.BusDevice;
import dev.vmm.memory.GuestMemory;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal virtio 1.x PCI driver for tests, doing what Linux's virtio_pci_modern does in the order it
 * does it: find the capabilities, reset, ACKNOWLEDGE, DRIVER, features, FEATURES_OK, set up each queue,
 * DRIVER_OK. Its MSI-X router records the vectors that fired (a stand-in for KVM's GSI routes).
 */
public final class TestDriver {
    public final VirtioPciFunction function;
    public final BusDevice bar;
    public final List<String> fired = new ArrayList<>();
    public final List<Boolean> intx = new ArrayList<>();
    public final List<RingWriter> rings = new ArrayList<>();
    public int routesOpen;

    /** {@code device} on a function whose doorbell is served at once, as its I/O thread would. */
    public TestDriver(VirtioDevice device, GuestMemory memory, boolean accessPlatform) {
        this.function = new VirtioPciFunction(device, memory, router(), intx::add, accessPlatform, (from, to) -> { });
        this.bar = function.bar();
        function.doorbell(function::queueNotified);
    }

    /** Rings queue {@code index}'s doorbell through the notify region, as the driver does. */
    public void kick(int index) {
        write(VirtioPciFunction.notifyOffset(index), 2, index);
    }

    private MsiRouter router() {
        return (owner, address, data) -> new MsiRouter.Route() {
            {
                routesOpen++;
            }

            @Override
            public void trigger() {
                fired.add(String.format("%x:%x", address, data));
            }

            @Override
            public void close() {
                routesOpen--;
            }
        };
    }

    public long read(long offset, int size) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(size);
            bar.read(offset, s);
            return switch (size) {
                case 1 -> s.get(ValueLayout.JAVA_BYTE, 0) & 0xffL;
                case 2 -> s.get(ValueLayout.JAVA_SHORT_UNALIGNED, 0) & 0xffffL;
                case 4 -> s.get(ValueLayout.JAVA_INT_UNALIGNED, 0) & 0xffff_ffffL;
                default -> s.get(ValueLayout.JAVA_LONG_UNALIGNED, 0);
            };
        }
    }

    public void write(long offset, int size, long value) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment s = a.allocate(size);
            for (int i = 0; i < size; i++) {
                s.set(ValueLayout.JAVA_BYTE, i, (byte) (value >>> (8 * i)));
            }
            bar.write(offset, s);
        }
    }

    public void common(int field, int size, long value) {
        write(VirtioPciFunction.COMMON_OFFSET + field, size, value);
    }

    public long common(int field, int size) {
        return read(VirtioPciFunction.COMMON_OFFSET + field, size);
    }

    public long deviceFeatures() {
        common(VirtioPciLayouts.DEVICE_FEATURE_SELECT, 4, 0);
        long lo = common(VirtioPciLayouts.DEVICE_FEATURE, 4);
        common(VirtioPciLayouts.DEVICE_FEATURE_SELECT, 4, 1);
        return lo | common(VirtioPciLayouts.DEVICE_FEATURE, 4) << 32;
    }

    /** Negotiates {@code features}; returns whether the device kept FEATURES_OK. */
    public boolean negotiate(long features) {
        common(VirtioPciLayouts.DEVICE_STATUS, 1, 0);
        common(VirtioPciLayouts.DEVICE_STATUS, 1, DeviceStatus.ACKNOWLEDGE);
        common(VirtioPciLayouts.DEVICE_STATUS, 1, DeviceStatus.ACKNOWLEDGE | DeviceStatus.DRIVER);
        common(VirtioPciLayouts.GUEST_FEATURE_SELECT, 4, 0);
        common(VirtioPciLayouts.GUEST_FEATURE, 4, features & 0xffff_ffffL);
        common(VirtioPciLayouts.GUEST_FEATURE_SELECT, 4, 1);
        common(VirtioPciLayouts.GUEST_FEATURE, 4, features >>> 32);
        common(VirtioPciLayouts.DEVICE_STATUS, 1, DeviceStatus.ACKNOWLEDGE | DeviceStatus.DRIVER | DeviceStatus.FEATURES_OK);
        return (common(VirtioPciLayouts.DEVICE_STATUS, 1) & DeviceStatus.FEATURES_OK) != 0;
    }

    /** Queue {@code index} at {@code base} with {@code size} entries and MSI-X vector {@code vector}. */
    public RingWriter queue(GuestMemory memory, int index, int size, long base, int vector) {
        RingWriter r = new RingWriter(memory, size, base);
        common(VirtioPciLayouts.QUEUE_SELECT, 2, index);
        common(VirtioPciLayouts.QUEUE_SIZE, 2, size);
        common(VirtioPciLayouts.QUEUE_MSIX_VECTOR, 2, vector);
        common(VirtioPciLayouts.QUEUE_DESC_LO, 4, r.desc);
        common(VirtioPciLayouts.QUEUE_DESC_HI, 4, r.desc >>> 32);
        common(VirtioPciLayouts.QUEUE_AVAIL_LO, 4, r.avail);
        common(VirtioPciLayouts.QUEUE_AVAIL_HI, 4, r.avail >>> 32);
        common(VirtioPciLayouts.QUEUE_USED_LO, 4, r.used);
        common(VirtioPciLayouts.QUEUE_USED_HI, 4, r.used >>> 32);
        common(VirtioPciLayouts.QUEUE_ENABLE, 2, 1);
        rings.add(r);
        return r;
    }

    /** The MSI-X vector of configuration changes (and of NEEDS_RESET). */
    public void configVector(int vector) {
        common(VirtioPciLayouts.MSIX_CONFIG, 2, vector);
    }

    /** Writes 0 to the device status: a reset. */
    public void reset() {
        common(VirtioPciLayouts.DEVICE_STATUS, 1, 0);
    }

    public void driverOk() {
        common(VirtioPciLayouts.DEVICE_STATUS, 1, DeviceStatus.ACKNOWLEDGE | DeviceStatus.DRIVER
                | DeviceStatus.FEATURES_OK | DeviceStatus.DRIVER_OK);
    }

    public int status() {
        return (int) common(VirtioPciLayouts.DEVICE_STATUS, 1);
    }

    /** MSI-X on, every vector unmasked, vector v's message data v. */
    public void enableMsix() {
        int cap = capability(VirtioPciLayouts.CAP_ID_MSIX, -1);
        int vectors = (function.readConfig(cap + 2, 2) & 0x7ff) + 1;
        for (int v = 0; v < vectors; v++) {
            long entry = VirtioPciFunction.MSIX_TABLE_OFFSET + 16L * v;
            write(entry, 4, 0xfee00000L);
            write(entry + 4, 4, 0);
            write(entry + 8, 4, 0x30 + v);
            write(entry + 12, 4, 0);
        }
        function.writeConfig(cap + 2, 2, VirtioPciLayouts.MSIX_FLAGS_ENABLE);
    }

    /** Offset of the capability with {@code id} (and for vendor ones, cfg_type {@code type}), or -1. */
    public int capability(int id, int type) {
        for (int at = function.readConfig(VirtioPciLayouts.CAPABILITY_LIST, 1); at != 0; at = function.readConfig(at + 1, 1)) {
            if (function.readConfig(at, 1) == id && (type < 0 || function.readConfig(at + 3, 1) == type)) {
                return at;
            }
        }
        return -1;
    }

    /** The usual modern feature set the device offers: VERSION_1, INDIRECT_DESC, EVENT_IDX and what is given. */
    public static long standard(long deviceSpecific) {
        return deviceSpecific | VirtioFeatures.bit(VirtioFeatures.VERSION_1) | VirtioFeatures.bit(VirtioFeatures.RING_INDIRECT_DESC)
                | VirtioFeatures.bit(VirtioFeatures.RING_EVENT_IDX);
    }
}
