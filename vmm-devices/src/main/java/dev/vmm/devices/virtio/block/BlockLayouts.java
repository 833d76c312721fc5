package dev.vmm.devices.virtio.block;

import static dev.vmm.core.abi.CStruct.bytes;
import static dev.vmm.core.abi.CStruct.packed;
import static dev.vmm.core.abi.CStruct.struct;
import static dev.vmm.core.abi.CStruct.u16;
import static dev.vmm.core.abi.CStruct.u32;
import static dev.vmm.core.abi.CStruct.u64;
import static dev.vmm.core.abi.CStruct.u8;

import dev.vmm.core.abi.CName;
import dev.vmm.core.abi.CStruct;
import java.lang.foreign.StructLayout;

/** virtio-blk's configuration, request header and discard segment (virtio 1.2, 5.2; linux/virtio_blk.h). */
public final class BlockLayouts {
    public static final StructLayout VIRTIO_BLK_CONFIG = packed("virtio_blk_config", u64("capacity"), u32("size_max"),
            u32("seg_max"), packed("virtio_blk_geometry", u16("cylinders"), u8("heads"), u8("sectors")).withName("geometry"),
            u32("blk_size"), u8("physical_block_exp"), u8("alignment_offset"), u16("min_io_size"), u32("opt_io_size"),
            u8("wce"), u8("unused"), u16("num_queues"), u32("max_discard_sectors"), u32("max_discard_seg"),
            u32("discard_sector_alignment"), u32("max_write_zeroes_sectors"), u32("max_write_zeroes_seg"),
            u8("write_zeroes_may_unmap"), bytes("unused1", 3), u32("max_secure_erase_sectors"),
            u32("max_secure_erase_seg"), u32("secure_erase_sector_alignment"),
            packed("virtio_blk_zoned_characteristics", u32("zone_sectors"), u32("max_open_zones"), u32("max_active_zones"),
                    u32("max_append_sectors"), u32("write_granularity"), u8("model"), bytes("unused2", 3)).withName("zoned"));
    public static final StructLayout VIRTIO_BLK_OUTHDR = struct("virtio_blk_outhdr", u32("type"), u32("ioprio"), u64("sector"));
    public static final StructLayout VIRTIO_BLK_DISCARD_WRITE_ZEROES = struct("virtio_blk_discard_write_zeroes",
            u64("sector"), u32("num_sectors"), u32("flags"));

    @CName("VIRTIO_BLK_F_SEG_MAX") public static final int F_SEG_MAX = 2;
    @CName("VIRTIO_BLK_F_RO") public static final int F_RO = 5;
    @CName("VIRTIO_BLK_F_BLK_SIZE") public static final int F_BLK_SIZE = 6;
    @CName("VIRTIO_BLK_F_FLUSH") public static final int F_FLUSH = 9;
    @CName("VIRTIO_BLK_F_DISCARD") public static final int F_DISCARD = 13;
    @CName("VIRTIO_BLK_F_WRITE_ZEROES") public static final int F_WRITE_ZEROES = 14;
    @CName("VIRTIO_BLK_T_IN") public static final int T_IN = 0;
    @CName("VIRTIO_BLK_T_OUT") public static final int T_OUT = 1;
    @CName("VIRTIO_BLK_T_FLUSH") public static final int T_FLUSH = 4;
    @CName("VIRTIO_BLK_T_GET_ID") public static final int T_GET_ID = 8;
    @CName("VIRTIO_BLK_T_DISCARD") public static final int T_DISCARD = 11;
    @CName("VIRTIO_BLK_T_WRITE_ZEROES") public static final int T_WRITE_ZEROES = 13;
    @CName("VIRTIO_BLK_S_OK") public static final int S_OK = 0;
    @CName("VIRTIO_BLK_S_IOERR") public static final int S_IOERR = 1;
    @CName("VIRTIO_BLK_S_UNSUPP") public static final int S_UNSUPP = 2;
    @CName("VIRTIO_BLK_ID_BYTES") public static final int ID_BYTES = 20;
    @CName("VIRTIO_BLK_WRITE_ZEROES_FLAG_UNMAP") public static final int WRITE_ZEROES_FLAG_UNMAP = 1;

    static final int CONFIG_SIZE = (int) VIRTIO_BLK_CONFIG.byteSize();
    static final int CAPACITY = (int) CStruct.offset(VIRTIO_BLK_CONFIG, "capacity");
    static final int SEG_MAX = (int) CStruct.offset(VIRTIO_BLK_CONFIG, "seg_max");
    static final int BLK_SIZE = (int) CStruct.offset(VIRTIO_BLK_CONFIG, "blk_size");
    static final int NUM_QUEUES = (int) CStruct.offset(VIRTIO_BLK_CONFIG, "num_queues");
    static final int MAX_DISCARD_SECTORS = (int) CStruct.offset(VIRTIO_BLK_CONFIG, "max_discard_sectors");
    static final int MAX_DISCARD_SEG = (int) CStruct.offset(VIRTIO_BLK_CONFIG, "max_discard_seg");
    static final int DISCARD_SECTOR_ALIGNMENT = (int) CStruct.offset(VIRTIO_BLK_CONFIG, "discard_sector_alignment");
    static final int MAX_WRITE_ZEROES_SECTORS = (int) CStruct.offset(VIRTIO_BLK_CONFIG, "max_write_zeroes_sectors");
    static final int MAX_WRITE_ZEROES_SEG = (int) CStruct.offset(VIRTIO_BLK_CONFIG, "max_write_zeroes_seg");
    static final int HEADER_SIZE = (int) VIRTIO_BLK_OUTHDR.byteSize();
    static final int SEGMENT_SIZE = (int) VIRTIO_BLK_DISCARD_WRITE_ZEROES.byteSize();

    private BlockLayouts() {}
}
