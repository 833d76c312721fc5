package dev.vmm.devices.virtio.queue;

import static dev.vmm.core.abi.CStruct.struct;
import static dev.vmm.core.abi.CStruct.u16;
import static dev.vmm.core.abi.CStruct.u32;
import static dev.vmm.core.abi.CStruct.u64;

import dev.vmm.core.abi.CName;
import java.lang.foreign.StructLayout;

/**
 * The split virtqueue's guest-memory structures (virtio 1.2, 2.7; linux/virtio_ring.h): the
 * descriptor table, the available ring (flags, idx, ring[size], used_event) and the used ring (flags,
 * idx, ring[size] of id/len, avail_event). Everything little-endian, as a virtio 1.x device sees it.
 */
public final class Vring {
    public static final StructLayout VRING_DESC = struct("vring_desc", u64("addr"), u32("len"), u16("flags"), u16("next"));
    /** The available ring's header; ring[] follows it. */
    public static final StructLayout VRING_AVAIL = struct("vring_avail", u16("flags"), u16("idx"));
    public static final StructLayout VRING_USED_ELEM = struct("vring_used_elem", u32("id"), u32("len"));
    /** The used ring's header; ring[] follows it. */
    public static final StructLayout VRING_USED = struct("vring_used", u16("flags"), u16("idx"));

    @CName("VRING_DESC_F_NEXT") public static final int DESC_F_NEXT = 1;
    @CName("VRING_DESC_F_WRITE") public static final int DESC_F_WRITE = 2;
    @CName("VRING_DESC_F_INDIRECT") public static final int DESC_F_INDIRECT = 4;
    @CName("VRING_AVAIL_F_NO_INTERRUPT") public static final int AVAIL_F_NO_INTERRUPT = 1;
    @CName("VRING_USED_F_NO_NOTIFY") public static final int USED_F_NO_NOTIFY = 1;
    @CName("VRING_AVAIL_ALIGN_SIZE") public static final int AVAIL_ALIGN = 2;
    @CName("VRING_USED_ALIGN_SIZE") public static final int USED_ALIGN = 4;
    @CName("VRING_DESC_ALIGN_SIZE") public static final int DESC_ALIGN = 16;

    public static final long DESC_SIZE = VRING_DESC.byteSize();
    static final long AVAIL_HEADER = VRING_AVAIL.byteSize();
    static final long USED_HEADER = VRING_USED.byteSize();
    static final long USED_ELEM_SIZE = VRING_USED_ELEM.byteSize();

    private Vring() {}

    /** Bytes of the descriptor table of a queue of {@code size}. */
    public static long descTableSize(int size) {
        return DESC_SIZE * size;
    }

    /** Bytes of the available ring with used_event (virtio 1.2, 2.7.6). */
    public static long availRingSize(int size) {
        return AVAIL_HEADER + 2L * size + 2;
    }

    /** Bytes of the used ring with avail_event (virtio 1.2, 2.7.8). */
    public static long usedRingSize(int size) {
        return USED_HEADER + USED_ELEM_SIZE * size + 2;
    }
}
