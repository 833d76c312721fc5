package dev.vmm.devices.virtio.vsock;

import static dev.vmm.core.abi.CStruct.packed;
import static dev.vmm.core.abi.CStruct.u16;
import static dev.vmm.core.abi.CStruct.u32;
import static dev.vmm.core.abi.CStruct.u64;

import dev.vmm.core.abi.CName;
import dev.vmm.core.abi.CStruct;
import java.lang.foreign.StructLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * One virtio-vsock packet (virtio 1.2, 5.10.6): the 44-byte {@code virtio_vsock_hdr} and its payload.
 * Ports and CIDs are unsigned 32-bit values held in ints and longs; every packet carries its sender's
 * credit ({@code buf_alloc}, {@code fwd_cnt}).
 */
public record VsockPacket(long srcCid, long dstCid, int srcPort, int dstPort, int type, int op, int flags,
                          int bufAlloc, int fwdCnt, byte[] data) {
    public static final StructLayout VIRTIO_VSOCK_HDR = packed("virtio_vsock_hdr", u64("src_cid"), u64("dst_cid"),
            u32("src_port"), u32("dst_port"), u32("len"), u16("type"), u16("op"), u32("flags"), u32("buf_alloc"),
            u32("fwd_cnt"));
    public static final int HEADER = (int) VIRTIO_VSOCK_HDR.byteSize();

    @CName("VIRTIO_VSOCK_TYPE_STREAM") public static final int TYPE_STREAM = 1;
    @CName("VIRTIO_VSOCK_OP_REQUEST") public static final int OP_REQUEST = 1;
    @CName("VIRTIO_VSOCK_OP_RESPONSE") public static final int OP_RESPONSE = 2;
    @CName("VIRTIO_VSOCK_OP_RST") public static final int OP_RST = 3;
    @CName("VIRTIO_VSOCK_OP_SHUTDOWN") public static final int OP_SHUTDOWN = 4;
    @CName("VIRTIO_VSOCK_OP_RW") public static final int OP_RW = 5;
    @CName("VIRTIO_VSOCK_OP_CREDIT_UPDATE") public static final int OP_CREDIT_UPDATE = 6;
    @CName("VIRTIO_VSOCK_OP_CREDIT_REQUEST") public static final int OP_CREDIT_REQUEST = 7;
    @CName("VIRTIO_VSOCK_SHUTDOWN_RCV") public static final int SHUTDOWN_RCV = 1;
    @CName("VIRTIO_VSOCK_SHUTDOWN_SEND") public static final int SHUTDOWN_SEND = 2;
    /** The host's address, where a hybrid vsock's host side lives. */
    @CName("VMADDR_CID_HOST") public static final long CID_HOST = 2;

    private static final byte[] NONE = new byte[0];
    private static final int SRC_CID = (int) CStruct.offset(VIRTIO_VSOCK_HDR, "src_cid");
    private static final int DST_CID = (int) CStruct.offset(VIRTIO_VSOCK_HDR, "dst_cid");
    private static final int SRC_PORT = (int) CStruct.offset(VIRTIO_VSOCK_HDR, "src_port");
    private static final int DST_PORT = (int) CStruct.offset(VIRTIO_VSOCK_HDR, "dst_port");
    private static final int LEN = (int) CStruct.offset(VIRTIO_VSOCK_HDR, "len");
    private static final int TYPE = (int) CStruct.offset(VIRTIO_VSOCK_HDR, "type");
    private static final int OP = (int) CStruct.offset(VIRTIO_VSOCK_HDR, "op");
    private static final int FLAGS = (int) CStruct.offset(VIRTIO_VSOCK_HDR, "flags");
    private static final int BUF_ALLOC = (int) CStruct.offset(VIRTIO_VSOCK_HDR, "buf_alloc");
    private static final int FWD_CNT = (int) CStruct.offset(VIRTIO_VSOCK_HDR, "fwd_cnt");

    public VsockPacket {
        data = data == null ? NONE : data;
    }

    /** A packet without payload. */
    public static VsockPacket control(long srcCid, long dstCid, int srcPort, int dstPort, int op, int flags,
                                      int bufAlloc, int fwdCnt) {
        return new VsockPacket(srcCid, dstCid, srcPort, dstPort, TYPE_STREAM, op, flags, bufAlloc, fwdCnt, NONE);
    }

    /** The header's {@code len} field of a header read from the guest. */
    public static long length(byte[] header) {
        return Integer.toUnsignedLong(le(header).getInt(LEN));
    }

    /** The packet of {@code header} (44 bytes) and {@code data}, whose length the caller checked against len. */
    public static VsockPacket decode(byte[] header, byte[] data) {
        ByteBuffer h = le(header);
        return new VsockPacket(h.getLong(SRC_CID), h.getLong(DST_CID), h.getInt(SRC_PORT), h.getInt(DST_PORT),
                Short.toUnsignedInt(h.getShort(TYPE)), Short.toUnsignedInt(h.getShort(OP)), h.getInt(FLAGS),
                h.getInt(BUF_ALLOC), h.getInt(FWD_CNT), data);
    }

    public byte[] header() {
        byte[] b = new byte[HEADER];
        le(b).putLong(SRC_CID, srcCid).putLong(DST_CID, dstCid).putInt(SRC_PORT, srcPort).putInt(DST_PORT, dstPort)
                .putInt(LEN, data.length).putShort(TYPE, (short) type).putShort(OP, (short) op).putInt(FLAGS, flags)
                .putInt(BUF_ALLOC, bufAlloc).putInt(FWD_CNT, fwdCnt);
        return b;
    }

    private static ByteBuffer le(byte[] header) {
        return ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public String toString() {
        return "vsock op " + op + " " + srcCid + ":" + Integer.toUnsignedString(srcPort) + " -> " + dstCid + ":"
                + Integer.toUnsignedString(dstPort) + " len " + data.length;
    }
}
