package dev.vmm.devices.fwcfg;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vmm.devices.bus.IoData;
import dev.vmm.memory.GuestAddress;
import dev.vmm.memory.GuestMemory;
import dev.vmm.memory.GuestMemoryBuilder;
import dev.vmm.memory.RegionKind;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The DMA interface as OVMF drives it, and what a hostile guest can and cannot do with it. */
class FwCfgDmaTest {
    private static final long DESC = 0x1000;
    private static final long BUF = 0x2000;
    private final GuestMemory memory = new GuestMemoryBuilder().add("ram", 0, 0x10000, RegionKind.RAM)
            .add("rom", 0xffff0000L, 0x10000, RegionKind.ROM).build();
    private final FwCfg fwCfg = new FwCfg(true).addFile("etc/e820", new byte[] {1, 2, 3, 4, 5});
    private final FwCfgDma dma = new FwCfgDma(fwCfg, memory);

    @AfterEach
    void close() {
        memory.close();
    }

    private void descriptor(long at, int control, int length, long address) {
        memory.write(GuestAddress.of(at), ByteBuffer.allocate(16).putInt(control).putInt(length).putLong(address).array());
    }

    /** OVMF: the high half (0 below 4 GiB) at 0x514, then the low half at 0x518, both big-endian. */
    private void kick(long at) {
        MemorySegment d = Arena.ofAuto().allocate(4);
        IoData.set(d, Integer.reverseBytes((int) (at >>> 32)));
        dma.write(0, d);
        IoData.set(d, Integer.reverseBytes((int) at));
        dma.write(4, d);
    }

    private int status(long at) {
        return Integer.reverseBytes(memory.readInt(GuestAddress.of(at)));
    }

    @Test
    void selectAndReadAFile() {
        int key = FwCfg.FILE_FIRST;
        descriptor(DESC, key << 16 | FwCfgDma.CTL_SELECT | FwCfgDma.CTL_READ, 8, BUF);
        memory.write(GuestAddress.of(BUF), new byte[] {9, 9, 9, 9, 9, 9, 9, 9});
        kick(DESC);
        assertThat(status(DESC)).isZero();
        assertThat(memory.read(GuestAddress.of(BUF), 8)).as("the file, then zeros past its end").containsExactly(1, 2, 3, 4, 5, 0, 0, 0);
    }

    @Test
    void skipThenReadContinuesWhereTheOffsetIs() {
        fwCfg.select(FwCfg.FILE_FIRST);
        descriptor(DESC, FwCfgDma.CTL_SKIP, 2, 0);
        kick(DESC);
        descriptor(DESC, FwCfgDma.CTL_READ, 2, BUF);
        kick(DESC);
        assertThat(memory.read(GuestAddress.of(BUF), 2)).containsExactly(3, 4);
    }

    @Test
    void theIdAdvertisesDmaAndTheRegisterReadsTheSignature() {
        fwCfg.select(FwCfg.ID);
        assertThat(fwCfg.take(4)).containsExactly(3, 0, 0, 0);
        MemorySegment d = Arena.ofAuto().allocate(8);
        dma.read(0, d);
        assertThat(new String(d.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), StandardCharsets.US_ASCII))
                .isEqualTo("QEMU CFG");
    }

    @Test
    void aBufferOutsideRamOrInRomOrTooLongGetsTheErrorBit() {
        descriptor(DESC, FwCfg.FILE_FIRST << 16 | FwCfgDma.CTL_SELECT | FwCfgDma.CTL_READ, 8, 0x40000000L);
        kick(DESC);
        assertThat(status(DESC)).isEqualTo(FwCfgDma.CTL_ERROR);
        descriptor(DESC, FwCfgDma.CTL_READ, 16, 0xffff0000L);
        kick(DESC);
        assertThat(status(DESC)).isEqualTo(FwCfgDma.CTL_ERROR);
        descriptor(DESC, FwCfgDma.CTL_READ, -1, BUF);        // 4 GiB - 1 bytes
        kick(DESC);
        assertThat(status(DESC)).isEqualTo(FwCfgDma.CTL_ERROR);
        descriptor(DESC, FwCfgDma.CTL_WRITE, 4, BUF);
        kick(DESC);
        assertThat(status(DESC)).as("no item is writable").isEqualTo(FwCfgDma.CTL_ERROR);
    }

    @Test
    void aDescriptorOutsideGuestMemoryIsIgnored() {
        kick(0x7fff_ffff_f000L);
        kick(0xfffffffffffffff8L);
        assertThat(memory.readInt(GuestAddress.of(DESC))).isZero();
    }
}
