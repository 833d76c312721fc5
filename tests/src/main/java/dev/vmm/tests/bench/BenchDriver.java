package dev.vmm.tests.bench;

import dev.vmm.devices.bus.BusDevice;
import dev.vmm.devices.virtio.DeviceStatus;
import dev.vmm.devices.virtio.VirtioFeatures;
import dev.vmm.devices.virtio.pci.VirtioPciFunction;
import dev.vmm.devices.virtio.pci.VirtioPciLayouts;
import dev.vmm.devices.virtio.queue.Vring;
import dev.vmm.memory.GuestAddress;
import dev.vmm.memory.GuestMemory;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The driver's side of one queue for the in-process benchmarks: the device set up through its BAR as a
 * driver does, then each request written into the rings by hand and served by
 * {@link VirtioPciFunction#queueNotified}, as the I/O thread would serve it.
 */
public final class BenchDriver {
    private static final int SIZE = 16;
    private static final long DESC = 0x1000;
    private static final long AVAIL = DESC + 16 * SIZE;
    private static final long USED = 0x2000;
    private static final long HEADER = 0x8000;
    private static final long DATA = 0x9000;
    private static final long STATUS = 0xa000;
    private final VirtioPciFunction f;
    private final GuestMemory memory;
    private final BusDevice bar;
    private final Arena arena = Arena.ofAuto();
    private final int queue;
    private short idx;

    /** virtio-blk's request queue with one 4 KiB read chain (header, data, status) at head 0. */
    public BenchDriver(VirtioPciFunction f, GuestMemory memory) {
        this(f, memory, 0);
        descriptor(0, HEADER, 16, Vring.DESC_F_NEXT, 1);
        descriptor(1, DATA, 4096, Vring.DESC_F_NEXT | Vring.DESC_F_WRITE, 2);
        descriptor(2, STATUS, 1, Vring.DESC_F_WRITE, 0);
    }

    /** Queue {@code queue} of the device behind {@code f} enabled (the others not), and DRIVER_OK. */
    public BenchDriver(VirtioPciFunction f, GuestMemory memory, int queue) {
        this.f = f;
        this.memory = memory;
        this.bar = f.bar();
        this.queue = queue;
        common(VirtioPciLayouts.DEVICE_STATUS, 1, DeviceStatus.ACKNOWLEDGE | DeviceStatus.DRIVER);
        common(VirtioPciLayouts.GUEST_FEATURE_SELECT, 4, 1);
        common(VirtioPciLayouts.GUEST_FEATURE, 4, VirtioFeatures.bit(VirtioFeatures.VERSION_1) >>> 32);
        common(VirtioPciLayouts.DEVICE_STATUS, 1, DeviceStatus.ACKNOWLEDGE | DeviceStatus.DRIVER | DeviceStatus.FEATURES_OK);
        common(VirtioPciLayouts.QUEUE_SELECT, 2, queue);
        common(VirtioPciLayouts.QUEUE_SIZE, 2, SIZE);
        common(VirtioPciLayouts.QUEUE_DESC_LO, 4, DESC);
        common(VirtioPciLayouts.QUEUE_AVAIL_LO, 4, AVAIL);
        common(VirtioPciLayouts.QUEUE_USED_LO, 4, USED);
        common(VirtioPciLayouts.QUEUE_ENABLE, 2, 1);
        common(VirtioPciLayouts.DEVICE_STATUS, 1, DeviceStatus.ACKNOWLEDGE | DeviceStatus.DRIVER | DeviceStatus.FEATURES_OK
                | DeviceStatus.DRIVER_OK);
    }

    private void common(int field, int size, long value) {
        MemorySegment s = arena.allocate(size);
        for (int i = 0; i < size; i++) {
            s.set(ValueLayout.JAVA_BYTE, i, (byte) (value >>> (8 * i)));
        }
        bar.write(VirtioPciFunction.COMMON_OFFSET + field, s);
    }

    /** Descriptor {@code i} of the queue's table. */
    public void descriptor(int i, long addr, int len, int flags, int next) {
        GuestAddress at = GuestAddress.of(DESC + 16L * i);
        memory.writeLong(at, addr);
        memory.writeInt(at.plus(8), len);
        memory.writeShort(at.plus(12), (short) flags);
        memory.writeShort(at.plus(14), (short) next);
    }

    /** Offers the chain at {@code head} and has the device serve the queue, as a notification would. */
    public void request(int head) {
        memory.writeShort(GuestAddress.of(AVAIL + 4 + 2L * ((idx & 0xffff) % SIZE)), (short) head);
        idx++;
        memory.storeReleaseShort(GuestAddress.of(AVAIL + 2), idx);
        f.queueNotified(queue);
    }

    /** One 4 KiB read of block {@code block}, offered and served. */
    public void read4k(long block) {
        memory.writeInt(GuestAddress.of(HEADER), 0);
        memory.writeLong(GuestAddress.of(HEADER + 8), block * 8);
        request(0);
        if (memory.readByte(GuestAddress.of(STATUS)) != 0) {
            throw new IllegalStateException("the benchmark's read failed");
        }
    }
}
