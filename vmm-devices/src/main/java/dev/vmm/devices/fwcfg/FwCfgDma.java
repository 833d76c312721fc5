package dev.vmm.devices.fwcfg;

import dev.vmm.devices.bus.BusDevice;
import dev.vmm.devices.bus.IoData;
import dev.vmm.memory.GuestAddress;
import dev.vmm.memory.GuestMemory;
import dev.vmm.memory.GuestMemoryException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * fw_cfg's DMA interface (docs/specs/fw_cfg.rst, "FW_CFG_DMA"): the guest writes the guest-physical
 * address of a 16-byte descriptor, big-endian, to 0x514 (high half) and 0x518 (low half; the write
 * starts the transfer). Descriptor: u32 control (error 1, read 2, skip 4, select 8 with the selector in
 * bits 31:16, write 16), u32 length, u64 buffer address, all big-endian. The transfer completes before
 * the write returns and the control word becomes 0, or has the error bit. Every access to the guest
 * goes through {@link GuestMemory}: a hostile descriptor gets the error bit, never host memory.
 */
public final class FwCfgDma implements BusDevice {
    static final int CTL_ERROR = 0x01;
    static final int CTL_READ = 0x02;
    static final int CTL_SKIP = 0x04;
    static final int CTL_SELECT = 0x08;
    static final int CTL_WRITE = 0x10;
    /** What a read of the DMA register returns: "QEMU CFG", QEMU's presence signature. */
    static final byte[] SIGNATURE = "QEMU CFG".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final System.Logger LOG = System.getLogger("vmm.fwcfg");

    private final FwCfg fwCfg;
    private final GuestMemory memory;
    private long addressHigh;

    public FwCfgDma(FwCfg fwCfg, GuestMemory memory) {
        this.fwCfg = fwCfg;
        this.memory = memory;
    }

    @Override
    public void read(long offset, MemorySegment data) {
        for (int i = 0; i < data.byteSize(); i++) {
            long at = offset + i;
            data.set(java.lang.foreign.ValueLayout.JAVA_BYTE, i, at < SIGNATURE.length ? SIGNATURE[(int) at] : 0);
        }
    }

    @Override
    public synchronized void write(long offset, MemorySegment data) {
        long value = IoData.get(data);
        if (offset == 0 && data.byteSize() == 8) {
            transfer(Long.reverseBytes(value));
        } else if (offset == 0 && data.byteSize() == 4) {
            addressHigh = Integer.reverseBytes((int) value) & 0xffffffffL;
        } else if (offset == 4 && data.byteSize() == 4) {
            transfer(addressHigh << 32 | Integer.reverseBytes((int) value) & 0xffffffffL);
            addressHigh = 0;
        }
    }

    /** Runs the descriptor at {@code descriptor}; visible for tests. */
    void transfer(long descriptor) {
        ByteBuffer d;
        try {
            d = ByteBuffer.wrap(memory.read(GuestAddress.of(descriptor), 16));
        } catch (GuestMemoryException e) {
            LOG.log(System.Logger.Level.WARNING, "fw_cfg DMA descriptor outside guest memory: " + e.getMessage());
            return;
        }
        int control = d.getInt(0);
        long length = d.getInt(4) & 0xffffffffL;
        long address = d.getLong(8);
        int result = 0;
        if ((control & CTL_SELECT) != 0) {
            fwCfg.select(control >>> 16);
        }
        try {
            if ((control & CTL_WRITE) != 0) {
                result = CTL_ERROR;      // no item here is writable by the guest
            } else if ((control & (CTL_READ | CTL_SKIP)) != 0) {
                byte[] bytes = fwCfg.take((int) Math.min(length, Integer.MAX_VALUE));
                if ((control & CTL_READ) != 0) {
                    // The item's bytes, then zeros for the rest of the buffer (reads past the end).
                    memory.write(GuestAddress.of(address), bytes);
                    memory.writableSlice(GuestAddress.of(address + bytes.length), length - bytes.length).fill((byte) 0);
                }
            }
        } catch (GuestMemoryException | ArithmeticException e) {
            result = CTL_ERROR;
        }
        try {
            memory.writeInt(GuestAddress.of(descriptor), Integer.reverseBytes(result));
        } catch (GuestMemoryException e) {
            LOG.log(System.Logger.Level.WARNING, "fw_cfg DMA status outside guest memory: " + e.getMessage());
        }
    }
}
